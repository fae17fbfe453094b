"""The load generator: its HTTP client, its open-model schedule and its report, against a stub server."""

import asyncio
import json
import random

import pytest

from bench import quiz_load


class StubServer:
    """Speaks just enough of the quiz API; closes every third connection and chunks some bodies."""

    def __init__(self):
        self.requests = []
        self.submitted = {}
        self.served = 0

    async def handle(self, reader, writer):
        try:
            while True:
                line = await reader.readline()
                if not line:
                    break
                method, path, _ = line.decode().split(" ", 2)
                headers = {}
                while (h := await reader.readline()) not in (b"\r\n", b""):
                    k, _, v = h.decode().partition(":")
                    headers[k.strip().lower()] = v.strip()
                body = await reader.readexactly(int(headers.get("content-length", 0)))
                self.requests.append((method, path, headers, body))
                self.served += 1
                status, out, extra = self.route(method, path, headers, body)
                close = self.served % 3 == 0
                payload = json.dumps(out).encode()
                head = [f"HTTP/1.1 {status} X"] + extra
                if self.served % 2:
                    head.append("Transfer-Encoding: chunked")
                    payload = f"{len(payload):x}\r\n".encode() + payload + b"\r\n0\r\n\r\n"
                else:
                    head.append(f"Content-Length: {len(payload)}")
                if close:
                    head.append("Connection: close")
                writer.write(("\r\n".join(head) + "\r\n\r\n").encode() + payload)
                await writer.drain()
                if close:
                    break
        finally:
            writer.close()

    def route(self, method, path, headers, body):
        if path == "/konto/anmelden/" and method == "GET":
            return 200, {}, ["Set-Cookie: csrftoken=abc; Path=/"]
        if path == "/konto/anmelden/":
            assert b"csrfmiddlewaretoken=abc" in body
            return 302, {}, ["Set-Cookie: sessionid=s1; HttpOnly", "Set-Cookie: csrftoken=def; Path=/"]
        assert headers["x-csrftoken"] == "def"
        assert "sessionid=s1" in headers["cookie"]
        if path.endswith("/attempts/"):
            slots = [
                {"slot": 1, "type": "multichoice", "single": True, "choices": [{"key": "a"}, {"key": "b"}]},
                {"slot": 2, "type": "shortanswer"},
            ]
            return 201, {"id": 7, "slots": slots}, []
        if path.endswith("/answers/"):
            data = json.loads(body)
            assert data["answers"][0]["slot"] in (1, 2)
            return 200, {"saved": [a["slot"] for a in data["answers"]]}, []
        if path.endswith("/submit/"):
            return 200, {"state": "finished", "score": "1.00", "finished_at": "t"}, []
        return 404, {}, []


@pytest.fixture
def stub():
    return StubServer()


def run_against(stub, argv):
    async def go():
        server = await asyncio.start_server(stub.handle, "127.0.0.1", 0)
        port = server.sockets[0].getsockname()[1]
        args = quiz_load.parse_args([f"--base-url=http://127.0.0.1:{port}", *argv])
        try:
            return await quiz_load.scenario(args)
        finally:
            server.close()

    return asyncio.run(go())


def test_scenario_logs_in_starts_saves_and_submits_through_closed_and_chunked_connections(stub):
    report = run_against(
        stub, ["--quiz=3", "--learners=5", "--interval=0.5", "--duration=1", "--submit-rate=50", "--double-submit=1"]
    )
    assert report["login"]["failures"] == {}
    assert report["start"]["ok"] == 5
    assert report["save"]["ok"] == report["save"]["requests"] == 10
    assert report["save"]["failed"] == 0
    assert report["submit"]["ok"] == 5 and report["second_submit"]["ok"] == 5
    assert report["second_submit"]["results_differing_from_first"] == []
    saves = [r for r in stub.requests if r[1].endswith("/answers/")]
    assert len(saves) == 10


def test_arrivals_follow_the_rate_and_not_the_responses():
    rng = random.Random(1)
    fixed = quiz_load.arrival_offsets(200, 20.0, "fixed", rng)
    assert fixed[1] - fixed[0] == pytest.approx(0.05)
    poisson = quiz_load.arrival_offsets(20_000, 20.0, "poisson", rng)
    assert poisson[-1] / len(poisson) == pytest.approx(0.05, rel=0.05)


def test_percentile_is_nearest_rank():
    values = list(range(1, 101))
    assert quiz_load.percentile(values, 50) == 50
    assert quiz_load.percentile(values, 95) == 95
    assert quiz_load.percentile(values, 99) == 99
    assert quiz_load.percentile([], 95) is None


def test_refuses_hosts_that_are_not_loopback():
    with pytest.raises(SystemExit):
        quiz_load.parse_args(["--quiz=1", "--base-url=http://192.0.2.1:8000"])


def test_refuses_unbounded_runs():
    with pytest.raises(SystemExit):
        quiz_load.parse_args(["--quiz=1", "--learners=100000"])
