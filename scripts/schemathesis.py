#!/usr/bin/env python3
"""Schemathesis against the release server's own OpenAPI document (issue 14).

Starts `target/release/veilig-server` on a fresh data folder and a free port, makes credentials
the way the tests do (the server's subcommands, a login with a second factor, an enrolled
device), checks by hand what schemathesis' positive-data check cannot reach for the report
upload (see `schemathesis.toml`), then runs `schemathesis run --checks all` and exits non-zero
on any failure. Run with the project's venv (`./x setup` makes it): `.venv/bin/python
scripts/schemathesis.py [--max-examples N] [--seed N]`.

The operations that end the credentials they are called with (logout, ending a person's
sessions, changing a person, changing the password, revoking a device) each get their own run
with their own person and device, after the run of everything else: otherwise every call after
the first logout would be a meaningless 401.
"""

import argparse
import base64
import hashlib
import hmac
import http.client
import json
import os
import re
import shutil
import struct
import subprocess
import sys
import tempfile
import time
import uuid
from datetime import datetime, timedelta, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SERVER = Path(os.environ.get("VEILIG_SERVER", ROOT / "target" / "release" / "veilig-server"))
VENV_BIN = Path(sys.executable).parent
CONFIG = ROOT / "scripts" / "schemathesis.toml"
TEAM = "Wijkteam Noord"
PASSWORD = "wolk fiets lantaarn koffie"
# Operation ids (utoipa names them after the handlers) that end or change the credentials used.
DESTRUCTIVE = ["logout", "end_sessions", "change_person", "change_password", "revoke_device"]
# The destructive operations with an id in their path, and what it names (`targets`).
TARGETED = {"end_sessions": "person", "change_person": "person", "revoke_device": "device"}


def server_command(data, *args, stdin=None):
    run = subprocess.run(
        [str(SERVER), "--data-dir", str(data), *args],
        input=stdin, capture_output=True, text=True, check=False,
    )
    if run.returncode != 0:
        sys.exit(f"schemathesis.py: veilig-server {args[0]} failed: {run.stderr.strip()}")
    return run.stdout.strip()


def totp(secret, step):
    """RFC 6238: SHA-1, 6 digits, 30-second steps (what the server's authenticator expects)."""
    key = base64.b32decode(secret.upper() + "=" * (-len(secret) % 8))
    mac = hmac.new(key, struct.pack(">Q", step), hashlib.sha1).digest()
    offset = mac[-1] & 0x0F
    return f"{(struct.unpack('>I', mac[offset:offset + 4])[0] & 0x7FFFFFFF) % 1_000_000:06d}"


class Api:
    def __init__(self, port):
        self.port = port

    def call(self, method, path, body=None, cookie=None, headers=None):
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        sent = dict(headers or {})
        if body is not None:
            sent["content-type"] = "application/json"
            body = body if isinstance(body, (bytes, str)) else json.dumps(body)
        if cookie:
            sent["cookie"] = cookie
        conn.request(method, path, body=body, headers=sent)
        res = conn.getresponse()
        text = res.read().decode()
        cookies = [c.split(";")[0] for c in res.headers.get_all("set-cookie") or []]
        conn.close()
        try:
            parsed = json.loads(text) if text else None
        except ValueError:
            parsed = None
        return res.status, parsed, text, cookies


def expect(what, status, wanted, text):
    if status != wanted:
        sys.exit(f"schemathesis.py: {what}: {status}, wanted {wanted}: {text}")


def credentials(api, data, tag):
    """A person with every role (so that every operation is allowed to someone who calls it),
    managing a team of their own, logged in with a second factor, and a device of that team:
    one Cookie header with both credentials."""
    login = f"schemathesis-{tag}"
    server_command(
        data, "add-user", "--login", login, "--name", f"Schemathesis {tag}",
        "--role", "beheerder", "--role", "po", "--role", "leidinggevende",
        stdin=PASSWORD + "\n",
    )
    team = f"{TEAM} {tag}"
    server_command(data, "add-team", "--name", team, "--manager", login)
    status, body, text, cookies = api.call("POST", "/api/v1/session", {"login": login, "password": PASSWORD})
    expect(f"{login} logs in", status, 201, text)
    session = next(c for c in cookies if not c.endswith("="))
    status, setup, text, _ = api.call("POST", "/api/v1/session/second-factor", cookie=session)
    expect("second factor set up", status, 201, text)
    code = totp(setup["secret"], int(time.time()) // 30)
    status, _, text, _ = api.call("POST", "/api/v1/session/second-factor/confirm", {"code": code}, cookie=session)
    expect("second factor confirmed", status, 200, text)
    status, me, text, _ = api.call("GET", "/api/v1/session", cookie=session)
    expect("session", status, 200, text)
    if not me["complete"]:
        sys.exit("schemathesis.py: the session is not complete after the second factor")
    enrollment = server_command(data, "enrollment-code", "--team", team).split("\n")[0]
    status, _, text, cookies = api.call("POST", "/api/v1/devices/enroll", {"code": enrollment})
    expect("device enrolled", status, 201, text)
    return f"{session}; {cookies[0]}"


def targets(api, data, tag, cookie):
    """What the destructive operations act on in their run, so that they reach their logic
    instead of answering 404 for generated ids: another person of the team (a medewerker,
    logged in, so that there are sessions to end) and another device of the team."""
    login = f"target-{tag}"
    server_command(data, "add-user", "--login", login, "--name", f"Target {tag}", "--role", "medewerker", stdin=PASSWORD + "\n")
    status, _, text, _ = api.call("POST", "/api/v1/session", {"login": login, "password": PASSWORD})
    expect(f"{login} logs in", status, 201, text)
    status, people, text, _ = api.call("GET", "/api/v1/people", cookie=cookie)
    expect("people listed", status, 200, text)
    person = next(p["id"] for p in people if p["login"] == login)
    code = server_command(data, "enrollment-code", "--team", f"{TEAM} {tag}").split("\n")[0]
    status, _, text, cookies = api.call("POST", "/api/v1/devices/enroll", {"code": code})
    expect("second device enrolled", status, 201, text)
    status, device, text, _ = api.call("GET", "/api/v1/device", cookie=cookies[0])
    expect("second device", status, 200, text)
    return {"person": person, "device": device["device_id"]}


def config_with(work, number, operation, path_id):
    """The project's configuration, with the one path id this run's operation acts on."""
    if path_id is None:
        return CONFIG
    path = work / f"schemathesis-{number}.toml"
    path.write_text(
        CONFIG.read_text()
        + f'\n[[operations]]\ninclude-operation-id = "{operation}"\nparameters = {{ "path.id" = "{path_id}" }}\n'
    )
    return path


def valid_report(report_id, now):
    """A complete finalized report of the current version, its times just before `now`."""
    local = lambda minutes: (now - timedelta(minutes=minutes)).strftime("%Y-%m-%dT%H:%M")
    utc = lambda minutes: (now - timedelta(minutes=minutes)).strftime("%Y-%m-%dT%H:%M:%SZ")
    return {
        "id": report_id, "schema_version": 2, "created_at": utc(30), "saved_at": utc(1),
        "revision": 3, "status": "final", "finalized_at": utc(1),
        "values": {
            "melder_naam": "Ans de Vries", "melder_functie": "Woonconsulent", "melder_rol": "slachtoffer",
            # Local times a day back: the server allows for any time zone, not for a date ahead.
            "datum_tijd": local(24 * 60 + 60), "situatie": "huisbezoek", "plaats": "Dorpsstraat 1",
            "soort": ["bedreiging"], "extreem": ["geen"], "wapen": "getoond", "wapen_wat": "Mes",
            "omschrijving": "Beschrijving", "slachtoffers": [{"name": "Ans de Vries", "detail": "Woonconsulent"}],
            "dader_bekend": "ja", "dader_naam": "J.", "dader_relatie": "huurder",
            "letsel": "geen", "verzuim": "ja", "verzuim_dagen": "2", "politie": "gebeld",
            "melding_aangifte": "aangifte", "aangifte_door": "werkgever", "adres_werkgever": "werkgever",
            "leidinggevende_naam": "Piet", "leidinggevende_tijd": local(24 * 60 + 30),
            "opvang_door": "Piet", "opvang_tijd": local(24 * 60), "nazorg_gewenst": "ja",
            "waarschuwing": "ja", "waarschuwing_tekst": "Let op bij dit adres.",
            "akkoord_naam": "Ans de Vries", "akkoord": utc(2),
        },
        "flow_run": {
            "id": str(uuid.uuid4()), "flow": "woning", "started_at": utc(40),
            "events": [{"at": utc(39), "event": "guided", "kind": "frustratie"}, {"at": utc(38), "event": "undone"}],
        },
    }


def check_reports_by_hand(api, cookie, schema):
    """What the positive-data check cannot do for `PUT /api/v1/reports/{id}` (the body's id must
    be the address's, times are judged by the clock): reports that the published schema says
    are valid are accepted, and the schema refuses what the server refuses for its shape."""
    from jsonschema_rs import Draft202012Validator

    validator = Draft202012Validator(schema)
    now = datetime.now(timezone.utc)
    current = valid_report(str(uuid.uuid4()), now)
    v1 = json.loads((ROOT / "core/tests/fixtures/report-v1-final.json").read_text())["data"]
    v1["id"] = str(uuid.uuid4())
    correction = valid_report(str(uuid.uuid4()), now)
    correction["corrects"] = current["id"]
    for name, report in [("current version", current), ("version 1", v1), ("correction", correction)]:
        errors = [e.message for e in validator.iter_errors(report)]
        if errors:
            sys.exit(f"schemathesis.py: the {name} report does not match the schema: {errors[:3]}")
        status, _, text, _ = api.call("PUT", f"/api/v1/reports/{report['id']}", report, cookie=cookie)
        expect(f"the {name} report is accepted", status, 201, text)
    # Shapes the schema refuses are refused by the server too (one per kind of rule).
    refused = []
    empty = {}
    refused.append(("{}", empty))
    blank = json.loads(json.dumps(current)); blank["values"]["plaats"] = " \u3000"
    refused.append(("blank required text", blank))
    both = json.loads(json.dumps(current)); both["values"]["extreem"] = ["geen", "wapen"]
    refused.append(("'geen' with another option", both))
    inapplicable = json.loads(json.dumps(current)); inapplicable["values"]["dader_beschrijving"] = "Man"
    refused.append(("a value for a field that does not apply", inapplicable))
    missing = json.loads(json.dumps(current)); del missing["values"]["wapen_wat"]
    refused.append(("a conditional field missing where it applies", missing))
    extra = json.loads(json.dumps(current)); extra["flow_run"]["events"][0]["x"] = 1
    refused.append(("an unknown key in a flow event", extra))
    for name, report in refused:
        report_id = report.get("id", str(uuid.uuid4()))
        if validator.is_valid(report):
            sys.exit(f"schemathesis.py: the schema takes {name}")
        status, _, text, _ = api.call("PUT", f"/api/v1/reports/{report_id}", report, cookie=cookie)
        if status < 400 or status >= 500:
            sys.exit(f"schemathesis.py: the server took {name}: {status} {text}")
    print(f"schemathesis.py: 3 valid reports accepted, {len(refused)} invalid ones refused, as the schema says")


def check_names_by_hand(api, cookie, document):
    """The published rule for names (trimmed, 1 to 200 characters, no control character) is the
    server's: every one of these names is valid by the schema exactly when the server takes
    it. Edge cases a generator rarely meets: whitespace only Rust trims, controls inside."""
    from jsonschema_rs import Draft202012Validator

    validator = Draft202012Validator({
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$ref": "#/components/schemas/NewTeam",
        "components": document["components"],
    })
    names = [
        "a", " a ", "\u3000Team\u3000", "\u0085Team\u0085", "\tTeam\n", "Te am", "Te\u3000am",
        "", " ", "\u3000", "\u200b", "\ufeff", "Te\nam", "Te\u0085am", "Te\u007fam", "\u001cTeam",
        "x" * 200, " " + "y" * 200 + " ", "z" * 201, "é" * 200,
    ]
    for number, name in enumerate(names):
        # Unique per name (a name that exists is 409), without changing what is judged.
        team = {"name": name.replace("a", f"a{number}", 1) if "a" in name and len(name) < 190 else name}
        valid = validator.is_valid(team)
        status, _, text, _ = api.call("POST", "/api/v1/teams", team, cookie=cookie)
        taken = status in (201, 409)
        if valid != taken:
            sys.exit(f"schemathesis.py: the name {team['name']!r}: schema says {valid}, server {status} {text}")
    print(f"schemathesis.py: {len(names)} names judged alike by the schema and the server")


def start(data, dist):
    proc = subprocess.Popen(
        [str(SERVER), "--port", "0", "--data-dir", str(data), "--dist-dir", str(dist)],
        stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
    )
    deadline = time.time() + 20
    for line in proc.stdout:
        found = re.search(r"http://127\.0\.0\.1:(\d+)/", line)
        if found:
            return proc, int(found.group(1))
        if time.time() > deadline:
            break
    proc.kill()
    sys.exit("schemathesis.py: the server did not start")


def schemathesis(port, cookie, args, report_path, operations, config=CONFIG):
    """One `schemathesis run`; its exit code."""
    command = [
        str(VENV_BIN / "schemathesis"), "--config-file", str(config), "run",
        f"http://127.0.0.1:{port}/api/openapi.json",
        # No `--checks`: naming checks on the command line overrides the per-operation
        # exceptions of the configuration file. Every check is on by default (`figures`
        # verifies that the ones this run is about ran).
        "--header", f"Cookie: {cookie}",
        "--max-examples", str(args.max_examples),
        "--workers", "1",
        # No examples database in the working tree: every run starts from the seed alone.
        "--generation-database", "none",
        "--report", "ndjson", "--report-ndjson-path", str(report_path),
        *(["--seed", str(args.seed)] if args.seed is not None else []),
        *operations,
    ]
    print("$", " ".join(c if not c.startswith("Cookie:") else "'Cookie: …'" for c in command), flush=True)
    # The hooks (`schemathesis_hooks.py`: the upload's address follows its body's id).
    env = dict(os.environ, SCHEMATHESIS_HOOKS=str(ROOT / "scripts" / "schemathesis_hooks.py"))
    # In the run's own folder: schemathesis keeps files in its working directory.
    return subprocess.run(command, check=False, cwd=report_path.parent, env=env).returncode


def figures(report_path):
    """Operations tested, test cases generated, failed checks and the names of the checks that
    ran, from the NDJSON events of one run."""
    operations, cases, failures, ran = set(), 0, 0, set()
    for line in report_path.read_text().splitlines():
        finished = json.loads(line).get("ScenarioFinished")
        if not finished:
            continue
        recorder = finished.get("recorder", {})
        label = recorder.get("label") or ""
        if recorder.get("cases") and label.split(" ")[0] in {"GET", "PUT", "POST", "PATCH", "DELETE"}:
            operations.add(label)
        cases += len(recorder.get("cases", {}))
        for checks in recorder.get("checks", {}).values():
            ran.update(c["name"] for c in checks)
            failures += sum(1 for c in checks if c.get("status") == "failure")
    return operations, cases, failures, ran


# The checks every run of the whole API must have run at least once (a configuration that
# switched one off everywhere would otherwise pass silently).
REQUIRED_CHECKS = {
    "not_a_server_error", "status_code_conformance", "content_type_conformance",
    "response_headers_conformance", "response_schema_conformance", "negative_data_rejection",
    "positive_data_acceptance", "missing_required_header", "unsupported_method",
    "ignored_auth",
}


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--max-examples", type=int, default=int(os.environ.get("SCHEMATHESIS_MAX_EXAMPLES", 50)))
    parser.add_argument("--seed", type=int, default=None)
    args = parser.parse_args()
    if not SERVER.is_file():
        sys.exit(f"schemathesis.py: {SERVER} is missing: build it (cargo build --release -p veilig-server)")
    began = time.time()
    work = Path(tempfile.mkdtemp(prefix="veilig-schemathesis-"))
    dist = work / "dist"
    dist.mkdir()
    # The server serves the app from here; the API needs only its index.html to start.
    (dist / "index.html").write_text("<!doctype html><title>Veilig</title>\n")
    data = work / "data"
    proc, port = start(data, dist)
    failed = []
    totals = [set(), 0, 0, set()]
    try:
        api = Api(port)
        _, schema_doc, _, _ = api.call("GET", "/api/openapi.json")
        # The report's schema as published, its references resolved in the document.
        report_schema = {
            "$schema": "https://json-schema.org/draft/2020-12/schema",
            "$ref": "#/components/schemas/Report",
            "components": schema_doc["components"],
        }
        hand = credentials(api, data, "hand")
        check_reports_by_hand(api, hand, report_schema)
        check_names_by_hand(api, hand, schema_doc)
        runs = [("all but the destructive operations", [a for op in DESTRUCTIVE for a in ("--exclude-operation-id", op)])]
        runs += [(op, ["--include-operation-id", op]) for op in DESTRUCTIVE]
        # Every run's credentials first: the runs try wrong passwords and enrollment codes,
        # and the server's limits on those (per address) would refuse later logins and
        # enrollments from this address for 15 minutes.
        prepared = []
        for number, (name, _) in enumerate(runs):
            tag = f"run{number}"
            cookie = credentials(api, data, tag)
            config = CONFIG
            if name in TARGETED:
                target = targets(api, data, tag, cookie)
                config = config_with(work, number, name, target[TARGETED[name]])
            prepared.append((cookie, config))
        for number, ((name, selection), (cookie, config)) in enumerate(zip(runs, prepared)):
            print(f"\n==> schemathesis: {name}", flush=True)
            report_path = work / f"run{number}.ndjson"
            code = schemathesis(port, cookie, args, report_path, selection, config)
            ops, cases, fails, ran = figures(report_path) if report_path.exists() else (set(), 0, 0, set())
            totals[0] |= ops
            totals[1] += cases
            totals[2] += fails
            totals[3] |= ran
            if code != 0:
                failed.append(name)
        missing = REQUIRED_CHECKS - totals[3]
        if missing:
            failed.append(f"checks that never ran: {', '.join(sorted(missing))}")
    finally:
        proc.terminate()
        proc.wait(timeout=15)
        keep = failed or os.environ.get("SCHEMATHESIS_KEEP")
        if not keep:
            shutil.rmtree(work, ignore_errors=True)
    print(
        f"\nschemathesis.py: {len(totals[0])} operations, {totals[1]} test cases, "
        f"{totals[2]} failed checks, {len(totals[3])} kinds of check, {time.time() - began:.0f} s"
        + (f"; failed runs: {', '.join(failed)}" if failed else "")
        + (f" (reports kept in {work})" if keep else "")
    )
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
