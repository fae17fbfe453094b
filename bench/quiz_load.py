#!/usr/bin/env python3
"""Open-model load generator for quiz attempts: many learners mid-quiz, saving answers.

Why an open model: real learners do not wait for the server before they click again. A closed
loop of simulated users slows down with the server and so hides queueing ("coordinated
omission"). Here every request has a *scheduled* time that does not depend on any response;
latency is measured from that scheduled time (and, for comparison, from the moment it was sent).

Why raw HTTP/1.1 over asyncio streams: the generator must leave the CPU to the server on the
same 2-core machine. It uses the standard library only, keeps connections alive where the server
allows it, and reports its own CPU use so a reader can check it stayed light.

Phases (only phase 3 and 4 are the measurement):
  1. log in N learners through the login form (bounded concurrency, not measured as load),
  2. start (or resume) one attempt each on the quiz (latency reported),
  3. steady state: saves at a fixed total arrival rate of N / interval per second for --duration s,
  4. submit every attempt at --submit-rate per second (optionally a second, concurrent submit for
     a share of them, which must come back as the same result: submission is idempotent).

The HTTP API it drives (courses/assessment/api_attempts.py):
  POST /api/v1/quizzes/<quiz>/attempts/     start or resume -> {"id", "slots": [...]}
  POST /api/v1/attempts/<id>/answers/       {"answers": [{"slot": n, "response": {...}}]}
  POST /api/v1/attempts/<id>/submit/        -> {"state": "finished", ...}

Loopback only, bounded in learners, duration and requests. Standard library only.
"""

from __future__ import annotations

import argparse
import asyncio
import ipaddress
import json
import math
import random
import resource
import socket
import sys
import time
import urllib.parse
from collections import Counter
from dataclasses import dataclass, field

MAX_LEARNERS = 2000
MAX_DURATION_S = 900
MAX_REQUESTS = 200_000


# --------------------------------------------------------------------------------------------
# A minimal HTTP/1.1 client with a keep-alive pool
# --------------------------------------------------------------------------------------------


class HttpError(Exception):
    pass


@dataclass
class Response:
    status: int
    headers: list[tuple[str, str]]
    body: bytes

    def header(self, name: str) -> str | None:
        name = name.lower()
        for key, value in self.headers:
            if key == name:
                return value
        return None

    def set_cookies(self) -> dict[str, str]:
        cookies: dict[str, str] = {}
        for key, value in self.headers:
            if key == "set-cookie":
                pair = value.split(";", 1)[0]
                if "=" in pair:
                    name, val = pair.split("=", 1)
                    cookies[name.strip()] = val.strip().strip('"')
        return cookies

    def json(self):
        return json.loads(self.body.decode() or "null")


async def _read_response(reader: asyncio.StreamReader, method: str) -> tuple[Response, bool]:
    """Read one response; return it and whether the connection may be reused."""
    status_line = await reader.readline()
    if not status_line:
        raise ConnectionResetError("connection closed before response")
    parts = status_line.decode("latin-1").split(" ", 2)
    if len(parts) < 2 or not parts[0].startswith("HTTP/"):
        raise HttpError(f"bad status line {status_line!r}")
    version, status = parts[0], int(parts[1])
    headers: list[tuple[str, str]] = []
    while True:
        line = await reader.readline()
        if line in (b"\r\n", b"\n", b""):
            break
        key, _, value = line.decode("latin-1").partition(":")
        headers.append((key.strip().lower(), value.strip()))
    hdr = dict(headers)
    keep_alive = version == "HTTP/1.1" and hdr.get("connection", "").lower() != "close"
    if method == "HEAD" or status in (204, 304) or 100 <= status < 200:
        body = b""
    elif "chunked" in hdr.get("transfer-encoding", "").lower():
        chunks = []
        while True:
            size_line = await reader.readline()
            size = int(size_line.split(b";", 1)[0].strip() or b"0", 16)
            if size == 0:
                while (await reader.readline()) not in (b"\r\n", b"\n", b""):
                    pass
                break
            chunks.append(await reader.readexactly(size))
            await reader.readexactly(2)
        body = b"".join(chunks)
    elif "content-length" in hdr:
        body = await reader.readexactly(int(hdr["content-length"]))
    else:
        body = await reader.read()
        keep_alive = False
    return Response(status, headers, body), keep_alive


class Client:
    """Keep-alive connection pool to one loopback host; cookies are passed per request."""

    def __init__(self, host: str, port: int, max_connections: int, timeout: float) -> None:
        self.host, self.port, self.timeout = host, port, timeout
        self.idle: list[tuple[asyncio.StreamReader, asyncio.StreamWriter]] = []
        self.slots = asyncio.Semaphore(max_connections)
        self.opened = 0

    async def request(
        self, method: str, path: str, *, body: bytes = b"", headers: dict[str, str] | None = None
    ) -> Response:
        head = [f"{method} {path} HTTP/1.1", f"Host: {self.host}:{self.port}", "Connection: keep-alive"]
        for key, value in (headers or {}).items():
            head.append(f"{key}: {value}")
        if body or method in ("POST", "PUT", "PATCH"):
            head.append(f"Content-Length: {len(body)}")
        payload = ("\r\n".join(head) + "\r\n\r\n").encode("latin-1") + body
        async with self.slots:
            for attempt in range(2):
                # A retry always takes a fresh connection: other idle ones may be just as stale.
                reused = bool(self.idle) and attempt == 0
                if reused:
                    reader, writer = self.idle.pop()
                else:
                    reader, writer = await asyncio.wait_for(asyncio.open_connection(self.host, self.port), self.timeout)
                    self.opened += 1
                try:
                    writer.write(payload)
                    await writer.drain()
                    response, keep = await asyncio.wait_for(_read_response(reader, method), self.timeout)
                except (ConnectionError, asyncio.IncompleteReadError) as exc:
                    writer.close()
                    # A kept-alive connection the server already closed: retry once on a fresh one.
                    if reused and attempt == 0:
                        continue
                    raise HttpError(f"{type(exc).__name__}: {exc}") from exc
                except BaseException:
                    writer.close()
                    raise
                if keep:
                    self.idle.append((reader, writer))
                else:
                    writer.close()
                return response
        raise HttpError("unreachable")

    def close(self) -> None:
        for _, writer in self.idle:
            writer.close()
        self.idle.clear()


# --------------------------------------------------------------------------------------------
# Learners
# --------------------------------------------------------------------------------------------


@dataclass
class Learner:
    email: str
    cookies: dict[str, str] = field(default_factory=dict)
    attempt_id: int | None = None
    slots: list[dict] = field(default_factory=list)

    def cookie_header(self) -> str:
        return "; ".join(f"{k}={v}" for k, v in self.cookies.items())

    def api_headers(self) -> dict[str, str]:
        return {
            "Cookie": self.cookie_header(),
            "X-CSRFToken": self.cookies.get("csrftoken", ""),
            "Content-Type": "application/json",
            "Accept": "application/json",
        }


async def login(client: Client, learner: Learner, password: str, login_path: str) -> None:
    first = await client.request("GET", login_path)
    learner.cookies.update(first.set_cookies())
    token = learner.cookies.get("csrftoken")
    if not token:
        raise HttpError(f"no CSRF cookie from {login_path} (status {first.status})")
    form = urllib.parse.urlencode({"username": learner.email, "password": password, "csrfmiddlewaretoken": token})
    response = await client.request(
        "POST",
        login_path,
        body=form.encode(),
        headers={"Cookie": learner.cookie_header(), "Content-Type": "application/x-www-form-urlencoded"},
    )
    learner.cookies.update(response.set_cookies())
    if response.status != 302 or "sessionid" not in learner.cookies:
        raise HttpError(f"login failed for {learner.email}: status {response.status}")


def random_response(question: dict, rng: random.Random) -> dict:
    """A plausible answer for a question as the API shows it to learners (never knowing the key)."""
    qtype = question.get("type")
    choices = question.get("choices") or []
    if qtype == "truefalse":
        return {"value": rng.random() < 0.5}
    if choices and question.get("single", True):
        return {"choice": rng.choice(choices)["key"]}
    if choices:
        picked = [c["key"] for c in choices if rng.random() < 0.5]
        return {"choices": picked}
    if qtype == "numerical":
        return {"text": str(rng.randint(0, 100))}
    return {"text": rng.choice(["Verwaltung", "Datenschutz", "Haushalt", "Bürgerbüro", "42"])}


# --------------------------------------------------------------------------------------------
# Measurement
# --------------------------------------------------------------------------------------------


def percentile(values: list[float], p: float) -> float | None:
    """Nearest-rank percentile (no interpolation): the value at or below which p % of samples lie."""
    if not values:
        return None
    ordered = sorted(values)
    rank = max(1, math.ceil(p / 100 * len(ordered)))
    return ordered[rank - 1]


@dataclass
class Series:
    name: str
    latencies_ms: list[float] = field(default_factory=list)  # from the scheduled time
    service_ms: list[float] = field(default_factory=list)  # from the moment the request was sent
    statuses: Counter = field(default_factory=Counter)
    errors: Counter = field(default_factory=Counter)
    first_start: float | None = None
    last_end: float | None = None

    def record(self, scheduled: float, sent: float, ended: float, status: int | None, error: str | None) -> None:
        self.first_start = scheduled if self.first_start is None else min(self.first_start, scheduled)
        self.last_end = ended if self.last_end is None else max(self.last_end, ended)
        if error is not None:
            self.errors[error] += 1
            return
        self.statuses[status] += 1
        self.latencies_ms.append((ended - scheduled) * 1000)
        self.service_ms.append((ended - sent) * 1000)

    def summary(self, ok_statuses: tuple[int, ...] = (200, 201)) -> dict:
        total = sum(self.statuses.values()) + sum(self.errors.values())
        ok = sum(n for s, n in self.statuses.items() if s in ok_statuses)
        span = (self.last_end - self.first_start) if self.first_start is not None else 0
        return {
            "requests": total,
            "ok": ok,
            "failed": total - ok,
            "statuses": dict(sorted(self.statuses.items())),
            "errors": dict(self.errors),
            "achieved_rate_per_s": round(ok / span, 2) if span > 0 else None,
            "latency_ms": {f"p{p}": _r(percentile(self.latencies_ms, p)) for p in (50, 95, 99)}
            | {"max": _r(max(self.latencies_ms, default=None))},
            "service_time_ms": {f"p{p}": _r(percentile(self.service_ms, p)) for p in (50, 95, 99)},
        }


def _loadavg() -> float | None:
    try:
        with open("/proc/loadavg", encoding="ascii") as fh:
            return float(fh.read().split()[0])
    except (OSError, ValueError):
        return None


def _r(value: float | None) -> float | None:
    return None if value is None else round(value, 1)


async def timed(client: Client, series: Series, scheduled: float, method: str, path: str, **kwargs) -> Response | None:
    sent = time.perf_counter()
    try:
        response = await client.request(method, path, **kwargs)
    except (HttpError, OSError, TimeoutError) as exc:
        series.record(scheduled, sent, time.perf_counter(), None, f"{type(exc).__name__}: {str(exc)[:60]}")
        return None
    series.record(scheduled, sent, time.perf_counter(), response.status, None)
    return response


def arrival_offsets(n_events: int, rate: float, mode: str, rng: random.Random) -> list[float]:
    """Scheduled start offsets (seconds) of n_events at the given mean rate, independent of responses."""
    if mode == "fixed":
        return [i / rate for i in range(n_events)]
    offsets, t = [], 0.0
    for _ in range(n_events):
        t += rng.expovariate(rate)
        offsets.append(t)
    return offsets


async def run_schedule(offsets: list[float], make_request, lag_ms: list[float]) -> None:
    """Launch make_request(i, scheduled) at each offset without waiting for earlier ones."""
    loop_start = time.perf_counter()
    tasks = []
    for i, offset in enumerate(offsets):
        scheduled = loop_start + offset
        delay = scheduled - time.perf_counter()
        if delay > 0:
            await asyncio.sleep(delay)
        lag_ms.append(max(0.0, (time.perf_counter() - scheduled) * 1000))
        tasks.append(asyncio.create_task(make_request(i, scheduled)))
    await asyncio.gather(*tasks)


# --------------------------------------------------------------------------------------------
# The scenario
# --------------------------------------------------------------------------------------------


async def scenario(args: argparse.Namespace) -> dict:
    rng = random.Random(args.seed)  # noqa: S311 - reproducible load, not security
    client = Client(args.host, args.port, args.max_connections, args.timeout)
    learners = [Learner(args.email_pattern.format(i=i)) for i in range(args.learners)]
    report: dict = {"config": {k: v for k, v in vars(args).items() if k != "password"}}
    cpu0, wall0 = resource.getrusage(resource.RUSAGE_SELF), time.perf_counter()

    # 1. Log in (setup; bounded concurrency so password hashing does not swamp the server).
    gate = asyncio.Semaphore(args.setup_concurrency)
    login_failures: Counter = Counter()

    async def do_login(learner: Learner) -> None:
        async with gate:
            try:
                await login(client, learner, args.password, args.login_path)
            except (TimeoutError, HttpError, OSError) as exc:
                login_failures[str(exc)[:80]] += 1

    t = time.perf_counter()
    await asyncio.gather(*(do_login(lr) for lr in learners))
    report["login"] = {"seconds": round(time.perf_counter() - t, 1), "failures": dict(login_failures)}
    learners = [lr for lr in learners if "sessionid" in lr.cookies]
    if not learners:
        raise SystemExit("No learner could log in; is the bench data seeded and the password right?")

    # 2. Start (or resume) one attempt each.
    start_series = Series("start")

    async def do_start(learner: Learner) -> None:
        async with gate:
            response = await timed(
                client,
                start_series,
                time.perf_counter(),
                "POST",
                f"/api/v1/quizzes/{args.quiz}/attempts/",
                body=b"{}",
                headers=learner.api_headers(),
            )
            if response is not None and response.status in (200, 201):
                data = response.json()
                learner.attempt_id = data["id"]
                learner.slots = [s for s in data["slots"] if s.get("type") != "description"]

    await asyncio.gather(*(do_start(lr) for lr in learners))
    report["start"] = start_series.summary()
    learners = [lr for lr in learners if lr.attempt_id and lr.slots]
    if not learners:
        raise SystemExit("No attempt could be started; see report['start'].")

    # 3. Steady state: every learner saves one answer every --interval seconds on average.
    rate = len(learners) / args.interval
    n_saves = min(int(rate * args.duration), MAX_REQUESTS)
    offsets = arrival_offsets(n_saves, rate, args.arrival, rng)
    # Learner order: round-robin over a shuffled list, so each learner saves about every interval.
    order = learners[:]
    rng.shuffle(order)
    save_series, lag_ms = Series("save"), []

    async def do_save(i: int, scheduled: float) -> None:
        learner = order[i % len(order)]
        chosen = rng.sample(learner.slots, k=min(args.answers_per_save, len(learner.slots)))
        payload = {"answers": [{"slot": s["slot"], "response": random_response(s, rng)} for s in chosen]}
        await timed(
            client,
            save_series,
            scheduled,
            "POST",
            f"/api/v1/attempts/{learner.attempt_id}/answers/",
            body=json.dumps(payload).encode(),
            headers=learner.api_headers(),
        )

    t = time.perf_counter()
    load_before = _loadavg()
    await run_schedule(offsets, do_save, lag_ms)
    steady_seconds = time.perf_counter() - t
    report["save"] = save_series.summary() | {
        "offered_rate_per_s": round(rate, 2),
        "scheduler_lag_ms": {"p99": _r(percentile(lag_ms, 99)), "max": _r(max(lag_ms, default=None))},
        "seconds": round(steady_seconds, 1),
        # Other work on the machine skews latencies: the 1-minute load average around the steady phase.
        "machine_loadavg_1min": {"before": load_before, "after": _loadavg()},
    }

    # 4. Submit everything at --submit-rate; some learners "double-click" (a second concurrent submit).
    submit_series, double_series, mismatches = Series("submit"), Series("second submit"), []
    submit_offsets = arrival_offsets(len(learners), args.submit_rate, args.arrival, rng)

    async def do_submit(i: int, scheduled: float) -> None:
        learner = learners[i]
        path = f"/api/v1/attempts/{learner.attempt_id}/submit/"
        headers = learner.api_headers()
        if rng.random() < args.double_submit:
            first, second = await asyncio.gather(
                timed(client, submit_series, scheduled, "POST", path, body=b"{}", headers=headers),
                timed(client, double_series, scheduled, "POST", path, body=b"{}", headers=headers),
            )
            if first is not None and second is not None and first.status == second.status == 200:
                a, b = first.json(), second.json()
                if (a.get("score"), a.get("finished_at")) != (b.get("score"), b.get("finished_at")):
                    mismatches.append(learner.attempt_id)
        else:
            await timed(client, submit_series, scheduled, "POST", path, body=b"{}", headers=headers)

    await run_schedule(submit_offsets, do_submit, [])
    report["submit"] = submit_series.summary() | {"offered_rate_per_s": args.submit_rate}
    report["second_submit"] = double_series.summary() | {"results_differing_from_first": mismatches}

    cpu1 = resource.getrusage(resource.RUSAGE_SELF)
    wall = time.perf_counter() - wall0
    cpu = (cpu1.ru_utime - cpu0.ru_utime) + (cpu1.ru_stime - cpu0.ru_stime)
    report["load_generator"] = {
        "wall_seconds": round(wall, 1),
        "cpu_seconds": round(cpu, 1),
        "cpu_share_of_one_core": round(cpu / wall, 3) if wall else None,
        "connections_opened": client.opened,
    }
    client.close()
    return report


def print_human(report: dict) -> None:
    def line(name: str, s: dict) -> str:
        lat, svc = s["latency_ms"], s["service_time_ms"]
        return (
            f"{name:<14} n={s['requests']:<6} ok={s['ok']:<6} failed={s['failed']:<4} "
            f"rate={s['achieved_rate_per_s']}/s  p50={lat['p50']} p95={lat['p95']} p99={lat['p99']} "
            f"max={lat['max']} ms  (service p95={svc['p95']} ms)"
        )

    print(f"login: {report['login']}", file=sys.stderr)
    for key in ("start", "save", "submit", "second_submit"):
        print(line(key, report[key]), file=sys.stderr)
    save = report["save"]
    print(
        f"save offered {save['offered_rate_per_s']}/s over {save['seconds']} s; "
        f"scheduler lag p99={save['scheduler_lag_ms']['p99']} ms; errors={save['errors']} statuses={save['statuses']}; "
        f"machine load average {save['machine_loadavg_1min']}",
        file=sys.stderr,
    )
    print(
        f"second submits differing from the first: {report['second_submit']['results_differing_from_first']}",
        file=sys.stderr,
    )
    print(f"load generator: {report['load_generator']}", file=sys.stderr)


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--base-url", default="http://127.0.0.1:8000")
    p.add_argument("--quiz", type=int, required=True, help="page id of the QuizPage")
    p.add_argument("--learners", type=int, default=200)
    p.add_argument("--interval", type=float, default=10.0, help="seconds between saves of one learner (mean)")
    p.add_argument("--duration", type=float, default=120.0, help="seconds of steady-state saving")
    p.add_argument("--arrival", choices=["fixed", "poisson"], default="poisson")
    p.add_argument("--answers-per-save", type=int, default=1)
    p.add_argument("--submit-rate", type=float, default=20.0, help="submits per second")
    p.add_argument("--double-submit", type=float, default=0.1, help="share of learners who submit twice at once")
    p.add_argument("--email-pattern", default="bench-learner-{i:04d}@bench.example")
    p.add_argument("--password", default="Bench-Passwort-2026")
    p.add_argument("--login-path", default="/konto/anmelden/")
    p.add_argument("--setup-concurrency", type=int, default=4)
    p.add_argument("--max-connections", type=int, default=256)
    p.add_argument("--timeout", type=float, default=30.0)
    p.add_argument("--seed", type=int, default=2026)
    p.add_argument("--json", dest="json_out", help="also write the report as JSON to this file")
    args = p.parse_args(argv)

    url = urllib.parse.urlsplit(args.base_url)
    if url.scheme != "http" or not url.hostname:
        p.error("--base-url must be http://<loopback host>:<port>")
    args.host, args.port = url.hostname, url.port or 80
    try:
        addresses = {info[4][0] for info in socket.getaddrinfo(args.host, args.port, type=socket.SOCK_STREAM)}
    except socket.gaierror as exc:
        p.error(f"cannot resolve {args.host}: {exc}")
    if not all(ipaddress.ip_address(a.split("%")[0]).is_loopback for a in addresses):
        p.error("this load generator only talks to loopback addresses")
    if not 1 <= args.learners <= MAX_LEARNERS:
        p.error(f"--learners must be between 1 and {MAX_LEARNERS}")
    if not 0 < args.duration <= MAX_DURATION_S:
        p.error(f"--duration must be between 0 and {MAX_DURATION_S} s")
    if args.interval <= 0 or args.submit_rate <= 0:
        p.error("--interval and --submit-rate must be positive")
    if not 0 <= args.double_submit <= 1:
        p.error("--double-submit is a share between 0 and 1")
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    report = asyncio.run(scenario(args))
    print_human(report)
    if args.json_out:
        with open(args.json_out, "w", encoding="utf-8") as fh:
            json.dump(report, fh, indent=2)
    print(json.dumps({k: report[k] for k in ("save", "submit")}, indent=2))
    failed = report["save"]["failed"] + report["submit"]["failed"]
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
