"""Run the local GitHub as a service (a container in the e2e tests).

python -m tests.support.github.serve --port 8080 --public-url http://github:8080
"""

from __future__ import annotations

import argparse

from tests.support.github.server import LocalGitHub


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument(
        "--host", default="0.0.0.0"
    )  # noqa: S104 - inside its own container network
    parser.add_argument("--port", type=int, default=8080)
    parser.add_argument("--public-url", default="")
    parser.add_argument("--token", default="ghs_localtesttoken000000000000000000")
    args = parser.parse_args()
    server = LocalGitHub(
        token=args.token, host=args.host, port=args.port, public_url=args.public_url
    )
    print(f"local GitHub serving on {args.host}:{args.port} as {server.url}", flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
