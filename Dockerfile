# One image serves every OASIS action. Tests build it offline with
#   docker build --build-arg BASE_IMAGE=oasis-base:bookworm .
ARG BASE_IMAGE=python:3.12-slim
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

# Dependencies first, in their own layer, so a code change rebuilds only the last layer.
COPY pyproject.toml README.md /src/
RUN python3 -c "import tomllib; print('\n'.join(tomllib.load(open('/src/pyproject.toml', 'rb'))['project']['dependencies']))" \
      > /tmp/requirements.txt \
 && /opt/oasis/bin/pip install -r /tmp/requirements.txt \
 && rm /tmp/requirements.txt

COPY oasis_action /src/oasis_action
RUN /opt/oasis/bin/pip install --no-deps /src \
 && rm -rf /src /root/.cache

# -I: the workspace (the working directory) is never on sys.path and PYTHON* variables are
# ignored, so a repository's committed argparse.py or oasis_action/ cannot run with the token;
# PYTHONSAFEPATH keeps any Python that OASIS starts just as safe.
ENV PYTHONSAFEPATH=1
ENTRYPOINT ["/opt/oasis/bin/python", "-I", "-B", "-u", "-m", "oasis_action"]
