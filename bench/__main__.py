"""``python -m bench``: the load harness. Prints one table and writes JSON to bench/results/.

python -m bench                       # the targets: 200 and 2,000 participants, ours and bare, eventlet
python -m bench --quick               # 200 participants only
python -m bench --modes eventlet,gevent,threading --processes 1,2
python -m bench --micro --pages       # also the per-vote micro-bench and page timings
python -m bench --scenarios hostile --wscost   # 200 voters beside floods, ours and bare; websocket cost per byte
python -m bench --storm               # also: kill -9 with everyone connected, time until all are back
python -m bench --scenarios poll,ebook --participants 200 --servers ours   # votes while a 10-meeting e-book is built

Baselines: ``bare`` (a bare python-socketio server pushing results once per vote: it
collapses in large rooms and flatters every ratio) and ``bare4`` (the same, coalescing its
pushes to 4 a second on a schedule, as ours does by default). Ratios are printed to both.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import time
from pathlib import Path

import psutil

from . import run, stats
from .scenarios import SCENARIOS

RESULTS = Path(__file__).resolve().parent / "results"

COLUMNS = [
    ("label", "run"),
    ("connected", "conn"),
    ("ramp_s", "ramp s"),
    ("rss_per_conn_kb", "KB/conn"),
    ("ack_p50", "ack p50"),
    ("ack_p95", "p95"),
    ("ack_p99", "p99"),
    ("ack_max", "max"),
    ("rcv_p50", "recv p50"),
    ("rcv_p95", "p95"),
    ("rcv_p99", "p99"),
    ("rcv_max", "max"),
    ("final_s", "final s"),
    ("persisted", "stored"),
    ("persisted_per_s", "stored/s"),
    ("pushes_per_s", "pushes/s"),
    ("burst_cpu_pct", "cpu %"),
    ("cpu_ms_per_action", "cpu ms/act"),
    ("lag_p95", "client lag p95"),
]
STORM_COLUMNS = [
    ("label", "run"),
    ("storm_back", "back"),
    ("storm_lost", "lost"),
    ("storm_restart_s", "restart s"),
    ("storm_p50_s", "back p50 s"),
    ("storm_p95_s", "p95 s"),
    ("storm_s", "all back s"),
    ("storm_told_busy", "told busy"),
    ("storm_handshake_refused", "tries failed"),
    ("storm_console_back_s", "console back s"),
    ("storm_console_n", "controls"),
    ("console_p50", "console p50"),
    ("console_p95", "p95"),
    ("console_max", "max"),
]
# --trace: an ack's time split at the server's reading of the action and writing of the ack (ms).
SPLIT_COLUMNS = [("label", "run"), ("split_matched", "acks")] + [
    (f"split_{part}_{q}", f"{title} {q}")
    for part, title in (("to", "to server"), ("in", "in server"), ("back", "back"))
    for q in ("p50", "p95", "slowest")
]
RATIO_KEYS = [k for k, _ in COLUMNS if k not in ("label", "connected", "persisted")]
# The hostile scenario: bystanders' acks and a page fetched meanwhile, and what the flood achieved.
HOSTILE_COLUMNS = [
    ("label", "run"),
    ("connected", "conn"),
    ("ack_p50", "ack p50"),
    ("ack_p95", "p95"),
    ("ack_max", "max"),
    ("ack_errors", "ack errors"),
    ("dropped", "dropped"),
    ("page_p50", "GET / p50"),
    ("page_p95", "p95"),
    ("page_max", "max"),
    ("page_failures", "failed"),
    ("flood_mb_s", "flood sent MB/s"),
    ("flood_conns", "flood conns"),
    ("flood_refused", "refused"),
    ("flood_cpu_pct", "flood cpu %"),
    ("burst_cpu_pct", "server cpu %"),
]
HOSTILE_RATIO_KEYS = ["ack_p50", "ack_p95", "ack_max", "page_p50", "page_p95", "page_max"]


def csv(value: str, cast=str) -> list:
    return [cast(v) for v in value.split(",") if v]


def parse(argv):
    p = argparse.ArgumentParser(prog="python -m bench", description="Load harness: ours against a bare server.")
    p.add_argument("--participants", type=lambda v: csv(v, int), default=None,
                   help="default: 200,2000 (hostile: 200)")
    p.add_argument("--votes", type=int, default=None, help="actions in the burst (default: one per participant)")
    p.add_argument("--window", type=float, default=10.0, help="seconds over which the burst is spread")
    p.add_argument("--modes", type=csv, default=["eventlet"], help="eventlet,gevent,threading")
    p.add_argument("--processes", type=lambda v: csv(v, int), default=[1], help="server processes, e.g. 1,2")
    p.add_argument("--servers", type=csv, default=["ours", "bare4", "bare"], help="ours, bare4 (coalescing), bare")
    p.add_argument("--storm", action="store_true",
                   help="after each poll run of ours: kill -9 with everyone connected, time until all are back")
    p.add_argument("--scenarios", type=csv, default=["poll"], help=f"of {sorted(SCENARIOS)}, e.g. poll,canvas,board")
    p.add_argument("--client-procs", type=int, default=2)
    p.add_argument("--settle-timeout", type=float, default=20.0)
    p.add_argument("--floods", type=csv, default=HOSTILE_FLOODS,
                   help="hostile cases, flooders x frame bytes, e.g. 1x1024,20x61440")
    p.add_argument("--wscost", action="store_true", help="also the cost of a received websocket byte (bench/wscost.py)")
    p.add_argument("--quick", action="store_true", help="200 participants, eventlet, one process")
    p.add_argument("--micro", action="store_true", help="also the per-vote cost at 100 and 100,000 stored votes")
    p.add_argument("--pages", action="store_true", help="also page render times with 100,000 stored events")
    p.add_argument(
        "--nginx",
        action="store_true",
        help="check docs/deployment.md's nginx config with nginx -t and run a short load through it",
    )
    p.add_argument("--profile", action="store_true", help="py-spy the servers during the burst")
    p.add_argument("--trace", action="store_true",
                   help="time each action's frame read and its ack's frame written in the server: an ack's "
                        "time split into the way there, the server and the way back")
    p.add_argument("--only-extras", action="store_true", help="skip the load runs")
    args = p.parse_args(argv)
    if args.quick:
        args.participants, args.modes, args.processes = [200], ["eventlet"], [1]
    return args


def cases(args) -> list[dict]:
    out = []
    sizes = {s: args.participants or ([200] if s in ("hostile", "ebook") else [200, 2000]) for s in args.scenarios}
    for scenario, n in [(s, n) for s in args.scenarios for n in sizes[s]]:
        floods = [_flood(f) for f in args.floods] if scenario == "hostile" else [None]
        for mode, flood in [(m, f) for f in floods for m in args.modes]:
            for server in args.servers:
                if server.startswith("bare") and mode == "threading" and n > 1000:
                    # One OS thread per connection, each woken for every vote of everyone:
                    # the load average passed 500 and the machine stalled for everyone on it.
                    print(f"skipping bare threading n={n}: per-vote fan-out over {n} threads", flush=True)
                    continue
                for procs in args.processes if server == "ours" else [1]:
                    out.append(
                        {
                            "scenario": scenario,
                            "server": server,
                            "mode": mode,
                            "processes": procs,
                            "participants": n,
                            "votes": args.votes or n,
                            "window": args.window,
                            "client_procs": args.client_procs if n > 100 else 1,
                            "settle_timeout": args.settle_timeout,
                            "profile": args.profile,
                            "trace": args.trace,
                            **({"flood": flood} if flood else {}),
                            **({"storm": True} if args.storm and server == "ours" and scenario == "poll" else {}),
                        }
                    )
    return out


# 0x0: the same run without flooders, to tell the flood from the machine.
# 1x1024a: one participant (joined, authenticated) flooding invalid votes that ask for acks.
HOSTILE_FLOODS = ["0x0", "1x1024", "1x8192", "1x61440", "20x1024", "20x8192", "20x61440", "1x1024a"]


def _flood(spec: str) -> dict:
    connections, size = spec.lower().split("x")
    return {"connections": int(connections), "frame": int(size.rstrip("a")), "auth": size.endswith("a")}


def _flood_label(flood: dict | None) -> str:
    if not flood:
        return ""
    if not flood["connections"]:
        return " no flood"
    size = flood["frame"]
    auth = " auth" if flood.get("auth") else ""
    return f" {flood['connections']}x{size // 1024 if size >= 1024 else size}{'KB' if size >= 1024 else 'B'}{auth}"


def flat(result: dict) -> dict:
    row = dict(result)
    via = " nginx" if result.get("via") else ""
    what = "" if result.get("scenario", "poll") == "poll" else f" {result['scenario']}"
    what += _flood_label(result.get("flood"))
    row["label"] = f"{result['server']} {result['mode']} x{result['processes']}{via}{what} n={result['participants']}"
    for q, v in (result.get("page_ms") or {}).items():
        row[f"page_{q}"] = v
    flood = result.get("flood_result") or {}
    row["flood_mb_s"], row["flood_conns"], row["flood_refused"], row["flood_cpu_pct"] = (
        flood.get("mb_per_s"), flood.get("connections"), flood.get("refused"), flood.get("cpu_pct"))
    for prefix, key in (("ack", "ack_ms"), ("rcv", "receipt_ms")):
        for q, v in (result.get(key) or {}).items():
            row[f"{prefix}_{q}"] = v
    row["final_s"] = result.get("final_after_last_s")
    row["lag_p95"] = (result.get("client_lag_ms") or {}).get("p95")
    for q, v in (result.get("storm_console_ms") or {}).items():
        row[f"console_{q}"] = v
    split = result.get("ack_split_ms") or {}
    row["split_matched"] = split.get("matched")
    for part in ("to", "in", "back"):
        for q in ("p50", "p95", "slowest"):
            row[f"split_{part}_{q}"] = (split.get(part) or {}).get(q)
    if result.get("storm_console_series") is not None:
        row["storm_console_n"] = len(result["storm_console_series"])
    return row


def _key(r: dict) -> tuple:
    return r.get("scenario"), r["mode"], r["participants"], _flood_label(r.get("flood"))


def ratio_rows(rows: list[dict], keys=None) -> list[dict]:
    """ours over each baseline, case by case."""
    out = []
    for baseline in ("bare4", "bare"):
        bare = {_key(r): r for r in rows if r["server"] == baseline}
        for r in rows:
            base = bare.get(_key(r))
            if r["server"] != "ours" or base is None:
                continue
            ratio = {"label": f"  ours/{baseline}" + r["label"][4:]}
            for key in keys or RATIO_KEYS:
                ratio[key] = stats.ratio(r.get(key), base.get(key))
            out.append(ratio)
    return out


def _nginx(args) -> dict:
    import tempfile

    from . import nginx

    with tempfile.TemporaryDirectory(prefix="facilitation-nginx-") as tmp:
        checked = nginx.check(Path(tmp))
    print(f"nginx -t on docs/deployment.md: {checked}", flush=True)
    if not checked.get("ok"):
        return checked
    case = {
        "server": "ours",
        "mode": "eventlet",
        "processes": 2,
        "participants": 200,
        "votes": 200,
        "window": args.window,
        "client_procs": 1,
        "settle_timeout": args.settle_timeout,
        "via": "nginx",
    }
    print("running ours eventlet x2 through nginx n=200 ...", flush=True)
    try:
        result = run.run_case(case, SCENARIOS["poll"](200, 200, args.window))
    except Exception as exc:
        result = {**case, "failed": f"{type(exc).__name__}: {exc}"}
    return {**checked, "run": result}


def machine() -> dict:
    return {
        "nproc": os.cpu_count(),
        "memory_gb": round(psutil.virtual_memory().total / 2**30, 1),
        "python": platform.python_version(),
        "platform": platform.platform(),
        "load_before": os.getloadavg(),
    }


def main(argv=None) -> int:
    args = parse(sys.argv[1:] if argv is None else argv)
    report = {"machine": machine(), "started": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()), "runs": []}
    print(f"machine: {report['machine']}", flush=True)
    if not args.only_extras:
        for case in cases(args):
            scenario = SCENARIOS[case["scenario"]](case["participants"], case["votes"], case["window"])
            label = flat(case | {"final_after_last_s": None})["label"]
            print(f"running {label} ...", flush=True)
            try:
                result = run.run_case(case, scenario)
            except KeyboardInterrupt:
                print("  interrupted: reporting the runs done so far", flush=True)
                break
            except Exception as exc:  # one failed configuration must not hide the others
                result = {**case, "failed": f"{type(exc).__name__}: {exc}"}
                print(f"  failed: {result['failed']}", flush=True)
            report["runs"].append(result)
    if args.nginx:
        report["nginx"] = _nginx(args)
    if args.micro:
        from . import micro

        report["micro"] = micro.main()
    if args.pages:
        from . import pages

        report["pages"] = pages.main()
    if args.wscost:
        from . import wscost

        report["wscost"] = wscost.main([])
    report["load_after"] = os.getloadavg()
    through = report.get("nginx", {}).get("run")
    if through and "failed" not in through:
        report["runs"].append(through)
    rows = [flat(r) for r in report["runs"] if "failed" not in r]
    hostile = [r for r in rows if r.get("flood")]
    rows = [r for r in rows if not r.get("flood")]
    if hostile:
        print()
        print("hostile: times in ms; ack = bystanders' votes; dropped = bystanders disconnected by the end of the "
              "burst; GET / every 100 ms meanwhile; flood = what the flooders got through")
        for r in hostile:
            r["page_failures"] = (r.get("page_ms") or {}).get("failures")
        print(stats.table(hostile + ratio_rows(hostile, HOSTILE_RATIO_KEYS), HOSTILE_COLUMNS))
    if rows:
        print()
        print(
            "times in ms unless marked; recv = action to receipt by every other client; "
            "final s = last action to the last client seeing the final results"
        )
        print(stats.table(rows + ratio_rows(rows), COLUMNS))
    split = [r for r in rows if r.get("split_matched")]
    if split:
        print()
        print("where an ack's time goes (--trace), ms: to server = the client's send to the server reading the "
              "action's frame; in server = that frame read to the ack's frame written; back = the ack's frame "
              "written to the client's receipt; slowest = the mean over the slowest 5 % of acks")
        print(stats.table(split, SPLIT_COLUMNS))
    storms = [r for r in rows if r.get("storm_back") is not None]
    if storms:
        print()
        print("reconnect storm: kill -9 with everyone connected; s from the kill; console = a facilitator's "
              "control acked meanwhile, ms")
        print(stats.table(storms, STORM_COLUMNS))
    for r in report["runs"]:
        label = flat(r | {"final_after_last_s": None})["label"]
        if r.get("ebook_state"):
            print(f"e-book beside {label}: {r['ebook_state']}, {r['ebook_pages']} pages, asked {r['ebook_asked']}, "
                  f"finished {r['ebook_finished']}; at the end of the burst: {r['ebook_progress_at_burst_end']}")
        if "failed" in r:
            print(f"FAILED {label}: {r['failed']}")
        for line, count in (r.get("server_exceptions") or {}).items():
            print(f"server exception in {label}: {count} x {line}")
    RESULTS.mkdir(exist_ok=True)
    path = RESULTS / f"bench-{time.strftime('%Y%m%dT%H%M%S')}.json"
    path.write_text(json.dumps(report, indent=1, default=str))
    print(f"\nJSON: {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
