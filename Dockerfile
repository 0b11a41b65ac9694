# One image serves every OASIS action. Tests build it offline with
#   docker build --build-arg BASE_IMAGE=oasis-base:bookworm .
# The default base is pinned by digest (the multi-platform index of python:3.12-slim); bump it
# with the digest, never to a bare tag. Tests build on an offline base of their own.
ARG BASE_IMAGE=python:3.12-slim@sha256:78387bc3881b8273120a12ebe6c1ab22b018ccc2c9adf565ae1ac9b536e184ea
FROM ${BASE_IMAGE}

LABEL org.opencontainers.image.title="OASIS" \
      org.opencontainers.image.description="Self-healing, self-releasing ML + DevOps toolkit for GitHub" \
      org.opencontainers.image.licenses="MIT"

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    VIRTUAL_ENV=/opt/oasis \
    PATH=/opt/oasis/bin:$PATH \
    NVIDIA_DRIVER_CAPABILITIES=compute,utility

# git (doctor, auto-fix, release), libgomp1 (LightGBM's OpenMP) and the OpenCL ICD loader
# (LightGBM's GPU path), each installed only when the base image lacks it. The NVIDIA ICD file
# lets the loader find the driver the NVIDIA container runtime mounts on a GPU runner.
# The runner gives the container a workspace owned by another user: trust that one folder for
# git (never '*': a committed bare repository's core.fsmonitor would run).
RUN set -eux; \
    missing=""; \
    for pkg in git libgomp1 ocl-icd-libopencl1; do \
      dpkg -s "$pkg" >/dev/null 2>&1 || missing="$missing $pkg"; \
    done; \
    if [ -n "$missing" ]; then \
      apt-get update; \
      apt-get install -y --no-install-recommends $missing; \
      apt-get clean; rm -rf /var/lib/apt/lists/* /var/cache/apt/*.bin; \
    fi; \
    mkdir -p /etc/OpenCL/vendors; \
    echo "libnvidia-opencl.so.1" > /etc/OpenCL/vendors/nvidia.icd; \
    git config --system --add safe.directory /github/workspace; \
    python3 -m venv /opt/oasis

# Dependencies first, in their own layer, so a code change rebuilds only the last layer. Every
# file pip installs is checked against requirements.lock's hashes (made by pip-compile from
# pyproject.toml; tests fail when the two disagree), the build backend too.
COPY requirements.lock requirements-build.lock /src/
RUN /opt/oasis/bin/pip install --require-hashes --no-deps -r /src/requirements.lock \
 && /opt/oasis/bin/pip install --require-hashes --no-deps -r /src/requirements-build.lock

COPY pyproject.toml README.md /src/
COPY oasis_action /src/oasis_action
RUN /opt/oasis/bin/pip install --no-deps --no-build-isolation /src \
 && rm -rf /src /root/.cache

# -I: the workspace (the working directory) is never on sys.path and PYTHON* variables are
# ignored, so a repository's committed argparse.py or oasis_action/ cannot run with the token;
# PYTHONSAFEPATH keeps any Python that OASIS starts just as safe.
ENV PYTHONSAFEPATH=1
ENTRYPOINT ["/opt/oasis/bin/python", "-I", "-B", "-u", "-m", "oasis_action"]
