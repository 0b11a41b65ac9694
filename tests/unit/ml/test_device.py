from __future__ import annotations

import pytest

from oasis_action.errors import InputError
from oasis_action.gpu import GpuReport, detect
from oasis_action.ml.training import choose_device

NONE = GpuReport(notes=("no OpenCL loader (libOpenCL) installed",))
CPU_OPENCL = GpuReport(opencl_platforms=("Portable Computing Language",), opencl_gpus=0)
REAL_GPU = GpuReport(
    opencl_platforms=("NVIDIA CUDA",), nvidia_devices=("GPU 0: H100",), opencl_gpus=1
)


@pytest.mark.parametrize(
    ("requested", "report", "device", "why"),
    [
        ("cpu", REAL_GPU, "cpu", "CPU requested"),
        ("auto", NONE, "cpu", "no OpenCL GPU found; training on the CPU"),
        ("auto", CPU_OPENCL, "cpu", "no OpenCL GPU found"),
        ("auto", REAL_GPU, "gpu", "OpenCL GPU on NVIDIA CUDA"),
        ("gpu", REAL_GPU, "gpu", "OpenCL GPU"),
        ("gpu", CPU_OPENCL, "gpu", "no GPU-type device"),
    ],
)
def test_device_choice(requested: str, report: GpuReport, device: str, why: str) -> None:
    chosen, reason = choose_device(requested, report)
    assert chosen == device and why in reason


def test_gpu_without_any_opencl_device_is_exit_2() -> None:
    with pytest.raises(InputError, match="--device gpu: no OpenCL GPU found \\(no OpenCL loader"):
        choose_device("gpu", NONE)


def test_detection_never_raises_and_is_consistent() -> None:
    report = detect()
    assert report.opencl_gpus >= 0
    assert report.gpu_available <= report.opencl_available
    assert report.notes or report.opencl_platforms
