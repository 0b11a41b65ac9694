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
CL_DEVICE_TYPE_GPU = 1 << 2


@dataclass(frozen=True)
class GpuReport:
    """OpenCL platforms and NVIDIA devices found, with why a probe found nothing."""

    opencl_platforms: tuple[str, ...] = ()
    nvidia_devices: tuple[str, ...] = ()
    notes: tuple[str, ...] = field(default=())
    opencl_gpus: int = 0

    @property
    def opencl_available(self) -> bool:
        """Some OpenCL device exists (LightGBM's `device_type=gpu` can run, maybe on a CPU)."""
        return bool(self.opencl_platforms)

    @property
    def gpu_available(self) -> bool:
        """An OpenCL device of GPU type exists (what `--device auto` asks for)."""
        return self.opencl_gpus > 0


def _load_opencl() -> ctypes.CDLL | None:
    name = ctypes.util.find_library("OpenCL")
    for candidate in filter(None, (name, "libOpenCL.so.1", "libOpenCL.so")):
        try:
            return ctypes.CDLL(candidate)
        except OSError:
            continue
    return None


def opencl_platforms() -> tuple[tuple[str, ...], int, str]:
    """Names of the OpenCL platforms the ICD loader sees, how many GPU devices they hold, and a
    note when there are none."""
    library = _load_opencl()
    if library is None:
        return (), 0, "no OpenCL loader (libOpenCL) installed"
    count = ctypes.c_uint(0)
    if library.clGetPlatformIDs(0, None, ctypes.byref(count)) != CL_SUCCESS or count.value == 0:
        return (), 0, "OpenCL loader found, but no OpenCL platform (no GPU driver ICD)"
    platforms = (ctypes.c_void_p * count.value)()
    library.clGetPlatformIDs(count.value, platforms, None)
    names, gpus = [], 0
    for platform in platforms:
        buffer = ctypes.create_string_buffer(256)
        library.clGetPlatformInfo(ctypes.c_void_p(platform), CL_PLATFORM_NAME, 256, buffer, None)
        names.append(buffer.value.decode("utf-8", "replace") or "unnamed platform")
        found = ctypes.c_uint(0)
        if (
            library.clGetDeviceIDs(
                ctypes.c_void_p(platform),
                ctypes.c_uint64(CL_DEVICE_TYPE_GPU),
                0,
                None,
                ctypes.byref(found),
            )
            == CL_SUCCESS
        ):
            gpus += found.value
    note = "" if gpus else "OpenCL platform(s) found, but no GPU device (" + ", ".join(names) + ")"
    return tuple(names), gpus, note


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
    platforms, gpus, cl_note = opencl_platforms()
    devices, nv_note = nvidia_devices()
    return GpuReport(platforms, devices, tuple(note for note in (cl_note, nv_note) if note), gpus)
