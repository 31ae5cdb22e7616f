"""API speed under gunicorn, as in production: requests per second and p50/p99 latency of each
endpoint, each as a ratio to a constant-response view (the framework's floor).

    .venv/bin/python bench/api.py [--seconds 3] [--rounds 5] [--connections 16] [--no-grow]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/itu_rbm_bench .venv/bin/python bench/api.py

The database (a fresh SQLite file under bench/results/, or DATABASE_URL) gets the loaded plan and,
unless --no-grow, a synthetic plan ten times its size (2090-2093). The portal then runs under
gunicorn (gunicorn.conf.py: 2 sync workers, DEBUG off) on 127.0.0.1 and a free port. One tool
measures every case, in rounds of a measure of the floor then one of the case, so that a ratio
compares two measures taken under the same load of the machine; the median of the rounds is
reported: wrk (-t2, keep-alive) if it is installed,
else a small keep-alive load generator in Python (threads, http.client; slower than wrk, so it
understates the floor). Only 127.0.0.1 is ever contacted.

Goals (issue 5, and issue 12 for the tree built with the ORM's public API only): the tree built
fresh >= 0.045 of the floor on PostgreSQL, cached >= 0.7, a matching ETag >= 0.95, lists >= 0.1;
latency at most 10x for 10x the data.
"""

import argparse
import http.client
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time

from _setup import ROOT, analyze, database_label, rebuilding_session, setup_django

PLAN = "/api/v1/plans/2020-2023"
GROWN = "/api/v1/plans/2090-2093"
# built afresh: a signed-in user's request, never answered from the public cache (a visitor's
# no-cache is, itu_rbm/caching.py); main() puts the session cookie in
FRESH: dict[str, str] = {}

FLOOR = "/api/v1/ping/"  # a constant response through the whole stack: the framework's floor

# name, address, headers ("etag": If-None-Match with the address's current ETag), goal as a
# ratio to the floor (None: no goal)
CASES = [
    ("tree, built fresh", f"{PLAN}/tree/", FRESH, 0.045),
    ("tree, cached", f"{PLAN}/tree/", {}, 0.7),
    ("tree, matching ETag (304)", f"{PLAN}/tree/", "etag", 0.95),
    ("targets/, built fresh", f"{PLAN}/targets/", FRESH, 0.1),
    ("targets/, cached", f"{PLAN}/targets/", {}, None),
    ("targets/, matching ETag (304)", f"{PLAN}/targets/", "etag", 0.95),
    ("progress/, built fresh", "/api/v1/progress/?plan=2020-2023", FRESH, 0.1),
    ("progress/, cached", "/api/v1/progress/?plan=2020-2023", {}, None),
    ("progress/, matching ETag (304)", "/api/v1/progress/?plan=2020-2023", "etag", 0.95),
]
GROWN_CASES = [
    ("10x plan: tree, built fresh", f"{GROWN}/tree/", FRESH, None),
    ("10x plan: targets/, built fresh", f"{GROWN}/targets/?page_size=500", FRESH, None),
    ("10x plan: progress/, built fresh", f"{GROWN}/progress/?page_size=500", FRESH, None),
]
BASE_OF_GROWN = {  # the same measure on the loaded plan, for the "10x the data" comparison
    "10x plan: tree, built fresh": "tree, built fresh",
    "10x plan: targets/, built fresh": "targets/ (500 a page), built fresh",
    "10x plan: progress/, built fresh": "progress/ (500 a page), built fresh",
}
BASE_CASES = [
    ("targets/ (500 a page), built fresh", f"{PLAN}/targets/?page_size=500", FRESH, None),
    ("progress/ (500 a page), built fresh", f"{PLAN}/progress/?page_size=500", FRESH, None),
]


# --- a plan ten times the size of the loaded one ------------------------------------------------


def grow_plan(factor: int = 10) -> None:
    """Copy every goal, target, objective, outcome, output, enabler, risk, mitigation, indicator
    and figure of 2020-2023 `factor` times into a published plan 2090-2093."""
    from django.db import transaction

    from frameworks.models import Enabler, Goal, Objective, Outcome, Output, StrategicPlan, Target
    from indicators.models import Indicator, Observation
    from risks.models import Risk

    source = StrategicPlan.objects.get(code="2020-2023")
    StrategicPlan.objects.filter(code="2090-2093").delete()
    with transaction.atomic():
        plan = StrategicPlan.objects.get(pk=source.pk)
        plan.pk, plan.code, plan.period_start, plan.period_end = None, "2090-2093", 2090, 2093
        plan.save()
        goals = list(Goal.objects.filter(plan=source).prefetch_related("sdg_targets"))
        targets = list(Target.objects.filter(plan=source).prefetch_related("data_sources"))
        objectives = list(Objective.objects.filter(plan=source))
        outcomes = list(Outcome.objects.filter(plan=source))
        outputs = list(Output.objects.filter(plan=source))
        enablers = list(Enabler.objects.filter(plan=source).prefetch_related("objectives"))
        risks = list(Risk.objects.filter(plan=source).prefetch_related("mitigations"))
        indicators = list(Indicator.objects.filter(plan=source))
        observations = list(Observation.objects.filter(indicator__plan=source))
        for copy in range(factor):
            new = {}
            for goal in goals:
                new[goal] = clone(goal, plan, number=copy * 10 + goal.number)
            for target in targets:
                new[target] = clone(
                    target,
                    plan,
                    goal=new[target.goal],
                    code=f"{new[target.goal].number}.{target.order}",
                )
                new[target].data_sources.set(target.data_sources.all())
            for objective in objectives:
                prefix, number = objective.code.split(".")
                code = f"{prefix}.{copy * 10 + int(number)}"
                new[objective] = clone(objective, plan, code=code)
            for result in [*outcomes, *outputs]:
                objective = new[result.objective]
                suffix = result.code.split("-")[-1]
                clone(result, plan, objective=objective, code=f"{objective.code}-{suffix}")
            for enabler in enablers:
                provider, number = enabler.code.split("-")
                copied = clone(enabler, plan, code=f"{provider}-{copy * 100 + int(number)}")
                copied.objectives.set([new[o] for o in enabler.objectives.all()])
            for risk in risks:
                copied = clone(risk, plan, number=copy * 10 + risk.number)
                for mitigation in risk.mitigations.all():
                    mitigation.pk, mitigation.risk = None, copied
                    mitigation.save()
            for indicator in indicators:
                new[indicator] = clone(
                    indicator,
                    plan,
                    target=new[indicator.target],
                    outcome=None,
                    code=f"{indicator.code}~{copy}",
                )
            Observation.objects.bulk_create(
                [
                    Observation(
                        **{
                            field.attname: getattr(observation, field.attname)
                            for field in Observation._meta.concrete_fields
                            if field.attname not in ("id", "indicator_id")
                        },
                        indicator=new[observation.indicator],
                    )
                    for observation in observations
                ]
            )


def clone(instance, plan, **changes):
    copied = type(instance).objects.get(pk=instance.pk)
    copied.pk = None
    copied.plan = plan
    for name, value in changes.items():
        setattr(copied, name, value)
    copied.save()
    return copied


# --- the portal under gunicorn ------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_portal(port: int) -> subprocess.Popen:
    environment = {
        **os.environ,
        "GUNICORN_BIND": f"127.0.0.1:{port}",
        "GUNICORN_WORKERS": "2",
        "DEBUG": "false",
        "SECRET_KEY": "bench-only-secret-key-" + "x" * 40,
        "ALLOWED_HOSTS": "127.0.0.1",
        "LOG_LEVEL": "ERROR",
    }
    server = subprocess.Popen(
        [str(ROOT / ".venv" / "bin" / "gunicorn"), "-c", "gunicorn.conf.py", "itu_rbm.wsgi"],
        cwd=ROOT,
        env=environment,
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            status, _headers, _body = fetch(port, "/api/v1/ping/")
            if status == 200:
                return server
        except OSError:
            time.sleep(0.2)
    server.terminate()
    raise SystemExit("gunicorn did not answer /api/v1/ping/ within 30 s")


def fetch(port: int, address: str, headers=None):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        connection.request("GET", address, headers=headers or {})
        response = connection.getresponse()
        return response.status, dict(response.getheaders()), response.read()
    finally:
        connection.close()


# --- load generators ----------------------------------------------------------------------------


def run_wrk(port, address, headers, seconds, connections) -> dict:
    command = ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--latency"]
    for name, value in headers.items():
        command += ["-H", f"{name}: {value}"]
    output = subprocess.run(
        [*command, f"http://127.0.0.1:{port}{address}"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    return {
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1)),
        "p50": wrk_ms(re.search(r"^\s+50%\s+(\S+)", output, re.M).group(1)),
        "p99": wrk_ms(re.search(r"^\s+99%\s+(\S+)", output, re.M).group(1)),
        "errors": int(errors.group(1)) if errors else 0,
    }


def wrk_ms(text: str) -> float:
    value, unit = re.fullmatch(r"([\d.]+)(us|ms|s)", text).groups()
    return float(value) * {"us": 0.001, "ms": 1, "s": 1000}[unit]


def run_python(port, address, headers, seconds, connections) -> dict:
    """Keep-alive HTTP/1.1 clients in threads, each sending requests back to back."""
    latencies, errors, lock = [], [0], threading.Lock()
    stop = time.monotonic() + seconds

    def client():
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        mine, failed = [], 0
        while time.monotonic() < stop:
            started = time.perf_counter()
            connection.request("GET", address, headers=headers)
            response = connection.getresponse()
            response.read()
            mine.append((time.perf_counter() - started) * 1000)
            failed += response.status >= 400
        connection.close()
        with lock:
            latencies.extend(mine)
            errors[0] += failed

    started = time.monotonic()
    threads = [threading.Thread(target=client) for _ in range(connections)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.monotonic() - started
    cuts = statistics.quantiles(latencies, n=100)
    return {"rps": len(latencies) / elapsed, "p50": cuts[49], "p99": cuts[98], "errors": errors[0]}


# --- the run ------------------------------------------------------------------------------------


def measure(port, cases, seconds, connections, load, rounds) -> dict[str, dict]:
    """Each case in `rounds` rounds, each round the floor then the case: on a machine shared
    with other work, a ratio compares two measures taken under the same load, and the median
    of the rounds' ratios is less at the mercy of one busy moment than a single pair."""
    results = {}
    for name, address, headers, _goal in cases:
        if headers == "etag":
            status, answer, _body = fetch(port, address)
            assert status == 200 and answer.get("ETag"), (address, status)
            headers = {"If-None-Match": answer["ETag"]}
            assert fetch(port, address, headers)[0] == 304
        else:
            status, _answer, _body = fetch(port, address, headers)  # warm up, check
            assert status == 200, (address, status)
        pairs = []
        for _round in range(rounds):
            floor = load(port, FLOOR, {}, seconds, connections)
            pairs.append((floor, load(port, address, headers, seconds, connections)))
            print(".", end="", flush=True)
        results[name] = {
            key: statistics.median(case[key] for _floor, case in pairs)
            for key in ("rps", "p50", "p99")
        }
        results[name]["errors"] = sum(case["errors"] for _floor, case in pairs)
        results[name]["floor"] = statistics.median(floor["rps"] for floor, _case in pairs)
        results[name]["ratio"] = statistics.median(
            case["rps"] / floor["rps"] for floor, case in pairs
        )
    print()
    return results


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=int, default=3, help="per measure (default 3)")
    parser.add_argument("--rounds", type=int, default=5, help="floor/case pairs (default 5)")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--no-grow", action="store_true", help="skip the 10x plan")
    parser.add_argument("--python-client", action="store_true", help="even if wrk is installed")
    args = parser.parse_args()

    setup_django("api")
    if not args.no_grow:
        started = time.perf_counter()
        grow_plan()
        analyze()
        print(f"10x plan built in {time.perf_counter() - started:.0f} s")
    from django.conf import settings
    from django.db import connections

    FRESH["Cookie"] = f"{settings.SESSION_COOKIE_NAME}={rebuilding_session()}"

    label = database_label()
    connections.close_all()  # the portal's workers open their own

    use_wrk = shutil.which("wrk") and not args.python_client
    load = run_wrk if use_wrk else run_python
    tool = f"wrk -t2 -c{args.connections}" if use_wrk else f"python, {args.connections} threads"
    load_before = os.getloadavg()[0]
    port = free_port()
    server = start_portal(port)
    try:
        cases = CASES + ([] if args.no_grow else BASE_CASES + GROWN_CASES)
        results = measure(port, cases, args.seconds, args.connections, load, args.rounds)
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)

    cores = os.cpu_count()
    floors = [row["floor"] for row in results.values()]
    print(
        f"\ndatabase: {label}; gunicorn 2 sync workers; {tool}; {args.rounds} rounds of the "
        f"floor then the case, {args.seconds} s each; medians of the rounds"
    )
    print(
        f"machine: {cores} cores, Python {sys.version.split()[0]}; load average before the run "
        f"{load_before:.2f} (1 min)"
    )
    print(
        f"floor ({FLOOR}, measured before each case): median {statistics.median(floors):.0f} "
        f"req/s, from {min(floors):.0f} to {max(floors):.0f}\n"
    )
    print(f"{'case':38} {'req/s':>7} {'p50 ms':>8} {'p99 ms':>8} {'floor':>7} {'x floor':>8}  goal")
    for name, _address, _headers, goal in cases:
        row = results[name]
        ratio = row["ratio"]
        verdict = "" if goal is None else f">= {goal:<5} {'met' if ratio >= goal else 'NOT met'}"
        errors = f"  ({row['errors']} errors)" if row["errors"] else ""
        print(
            f"{name:38} {row['rps']:7.0f} {row['p50']:8.2f} {row['p99']:8.2f} "
            f"{row['floor']:7.0f} {ratio:8.3f}  {verdict}{errors}"
        )
    if not args.no_grow:
        print("\n10x the data (p50 latency, built fresh; goal: at most 10x):")
        for grown, base in BASE_OF_GROWN.items():
            times = results[grown]["p50"] / results[base]["p50"]
            print(f"  {grown:40} {times:5.1f}x the loaded plan's {results[base]['p50']:.2f} ms")


if __name__ == "__main__":
    main()
