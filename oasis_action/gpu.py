"""What accelerators this machine offers: OpenCL platforms (LightGBM's GPU path) and NVIDIA GPUs.

Reading only: nothing here requires a GPU, and every probe fails soft to "none found".
"""

from __future__ import annotations

import ctypes
import ctypes.util
import shutil
import subprocess
from dataclasses import dataclass, field

CL_PLATFORM_NAME = 0x0902
CL_SUCCESS = 0


@dataclass(frozen=True)
class GpuReport:
    """OpenCL platforms and NVIDIA devices found, with why a probe found nothing."""

    opencl_platforms: tuple[str, ...] = ()
    nvidia_devices: tuple[str, ...] = ()
    notes: tuple[str, ...] = field(default=())

    @property
    def opencl_available(self) -> bool:
        return bool(self.opencl_platforms)


def _load_opencl() -> ctypes.CDLL | None:
    name = ctypes.util.find_library("OpenCL")
    for candidate in filter(None, (name, "libOpenCL.so.1", "libOpenCL.so")):
        try:
            return ctypes.CDLL(candidate)
        except OSError:
            continue
    return None


def opencl_platforms() -> tuple[tuple[str, ...], str]:
    """Names of the OpenCL platforms the ICD loader sees, and a note when there are none."""
    library = _load_opencl()
    if library is None:
        return (), "no OpenCL loader (libOpenCL) installed"
    count = ctypes.c_uint(0)
    if library.clGetPlatformIDs(0, None, ctypes.byref(count)) != CL_SUCCESS or count.value == 0:
        return (), "OpenCL loader found, but no OpenCL platform (no GPU driver ICD)"
    platforms = (ctypes.c_void_p * count.value)()
    library.clGetPlatformIDs(count.value, platforms, None)
    names = []
    for platform in platforms:
        buffer = ctypes.create_string_buffer(256)
        library.clGetPlatformInfo(ctypes.c_void_p(platform), CL_PLATFORM_NAME, 256, buffer, None)
        names.append(buffer.value.decode("utf-8", "replace") or "unnamed platform")
    return tuple(names), ""


def nvidia_devices(timeout: float = 10.0) -> tuple[tuple[str, ...], str]:
    """GPUs `nvidia-smi -L` lists, and a note when there are none."""
    binary = shutil.which("nvidia-smi")
    if binary is None:
        return (), "nvidia-smi not found"
    try:
        listing = subprocess.run(
            [binary, "-L"], capture_output=True, text=True, timeout=timeout, check=False
        )
    except (OSError, subprocess.TimeoutExpired) as error:
        return (), f"nvidia-smi failed: {error}"
    devices = tuple(line.strip() for line in listing.stdout.splitlines() if line.startswith("GPU"))
    return devices, "" if devices else "nvidia-smi lists no GPU"


def detect() -> GpuReport:
    """Probe OpenCL and NVIDIA; never raises."""
    platforms, cl_note = opencl_platforms()
    devices, nv_note = nvidia_devices()
    return GpuReport(platforms, devices, tuple(note for note in (cl_note, nv_note) if note))
