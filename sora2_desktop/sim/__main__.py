"""`python -m sora2_desktop.sim`: run the stand-in service in the foreground until Ctrl+C (curl, demos)."""

from __future__ import annotations

import argparse
import signal
import sys
import threading

from sora2_desktop.sim.contract import CONTRACTS, STARTING_BALANCE_USD
from sora2_desktop.sim.server import SimServer


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m sora2_desktop.sim", description=__doc__)
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    parser.add_argument("--port", type=int, default=0, help="API port (default: a free port)")
    parser.add_argument("--cdn-port", type=int, default=0, help="CDN port (default: a free port)")
    parser.add_argument("--speed", type=float, default=1.0, help="clock speed-up; 10 makes a 10 s video take ~20-30 s")
    parser.add_argument("--require-key", default=None, help="accept only this API key (default: any non-empty key)")
    parser.add_argument(
        "--contract",
        choices=CONTRACTS,
        default="seed",
        help="which version of the service's pages to play: seed (10/15 s, any provider) or later (4/8/12 s, "
        "official only, exactly one image); POST /_sim/contract switches a running one",
    )
    parser.add_argument(
        "--balance", type=float, default=STARTING_BALANCE_USD, help="each key's starting balance in US dollars"
    )
    args = parser.parse_args(argv)
    if args.speed <= 0:
        parser.error("--speed must be positive")

    sim = SimServer(
        speed=args.speed,
        require_key=args.require_key,
        host=args.host,
        api_port=args.port,
        cdn_port=args.cdn_port,
        contract=args.contract,
        balance_usd=args.balance,
    ).start()
    # First line is the API base URL alone, so scripts can read it with `head -1`.
    print(sim.api_base, flush=True)
    print(
        f"CDN: {sim.cdn_base}  (speed x{args.speed:g}; controls: POST {sim.api_base}/_sim/faults, "
        f"POST /_sim/finish_all, POST /_sim/contract, GET /_sim/requests; models: {sim.models_index_url}; "
        f"contract {args.contract}; Ctrl+C to stop)",
        flush=True,
    )

    stop = threading.Event()
    # SIGINT explicitly too: a shell starting us in the background (`&`) leaves SIGINT ignored otherwise.
    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, lambda *_: stop.set())
    try:
        while not stop.wait(0.5):
            pass
    finally:
        sim.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
