"""Calls every operation of Cashfree's official Python SDK (PyPI `cashfree-verification`) against
a Cashfree sandbox, and prints one JSON line per operation.

    python call_every_operation.py BASE_URL REQUESTS_JSON

BASE_URL is where Cashfree's server would be (`http://127.0.0.1:PORT/verification`); REQUESTS_JSON
holds the sample requests that sandbox/tests/official_sdks/requests.rs takes from api/openapi.json.
The credentials come from CASHFREE_SDK_TEST_CLIENT_ID and CASHFREE_SDK_TEST_CLIENT_SECRET.

The operations are the SDK's own: every `vrs_*` method of its `Cashfree` class, with the HTTP
method and path read from the method's source, so a new SDK version is called in full. A lookup
(GET) runs after the create call it follows and takes its ids from that call's answer, as an
integrator's code would. Lines printed, in order:

    {"kind": "sdk", "sdk": "python", "version": "3.0.0", "operations": 31}
    {"kind": "call", "sdk": "python", "operation": "vrs_pan_verification", "request": "POST /pan",
     "outcome": "ok", "status": 200, "reason": ""}
    ...
    {"kind": "guard", "self_test": true, "refused": []}
"""

import loopback_only

# Before the SDK, or anything it imports, can open a socket.
loopback_only.install()

import importlib.metadata  # noqa: E402
import inspect  # noqa: E402
import json  # noqa: E402
import os  # noqa: E402
import re  # noqa: E402
import sys  # noqa: E402
import typing  # noqa: E402

import pydantic  # noqa: E402
from cashfree_verification.api_client import ApiClient, Cashfree  # noqa: E402
from cashfree_verification.exceptions import ApiException  # noqa: E402

#: What Cashfree's docs send; the SDK takes it as an argument (and, as 3.0.0 is written, drops it).
API_VERSION = "2024-12-01"
#: (connect, read) seconds for each call.
TIMEOUT = (5, 30)


class SandboxHostClient(ApiClient):
    """The SDK's default ApiClient with the host pointed at the sandbox.

    The SDK has no setting for its server: every method builds a new Configuration with Cashfree's
    host and assigns it to the default ApiClient. This one sets the host of each configuration it
    is given to BASE_URL, so nothing else of the SDK's configuration changes."""

    def __init__(self, host):
        self._host = host
        super().__init__()

    @property
    def configuration(self):
        return self._configuration

    @configuration.setter
    def configuration(self, configuration):
        configuration.host = self._host
        self._configuration = configuration


def operations():
    """(name, HTTP method, path, signature) of every operation, non-GET first (creates before
    lookups), each group in the SDK's order; method and path None where the source has none."""
    found = []
    for name, function in vars(Cashfree).items():
        if not (name.startswith("vrs_") and callable(function)):
            continue
        call = re.search(r"call_api\(\s*'([^']+)',\s*'(\w+)'", inspect.getsource(function))
        method, path = (call.group(2), call.group(1)) if call else (None, None)
        found.append((name, method, path, inspect.signature(function)))
    return sorted(found, key=lambda op: op[1] == "GET")


def declared(annotation):
    """(the type a parameter declares inside Annotated/Optional, whether it is required)."""
    args = typing.get_args(annotation)
    if not args:
        return annotation, False
    inner, required = args[0], any(
        getattr(meta, "default", None) is Ellipsis for meta in args[1:]
    )
    if typing.get_origin(inner) is typing.Union:
        options = [a for a in typing.get_args(inner) if a is not type(None)]
        inner = typing.Union[tuple(options)] if len(options) > 1 else options[0]
    return inner, required


def is_file(kind):
    return typing.get_origin(kind) is typing.Union and pydantic.StrictBytes in typing.get_args(kind)


def coerce(value, kind):
    """A documented value in the type the SDK's signature declares (ids are numbers in some
    answers and strings in some parameters)."""
    if isinstance(kind, type) and issubclass(kind, bool):
        return value
    if isinstance(kind, type) and issubclass(kind, int) and isinstance(value, str):
        return int(value) if value.isdigit() else value
    if isinstance(kind, type) and issubclass(kind, str) and not isinstance(value, str):
        return json.dumps(value) if isinstance(value, (dict, list)) else str(value)
    return value


def lookup(name, entry, earlier):
    """A parameter's value: from the answer (then the request) of the call this one follows,
    else the spec's example for it."""
    if earlier is not None:
        for source in reversed(earlier):
            if isinstance(source, dict) and source.get(name) is not None:
                return source[name]
    for place in ("path", "query", "form"):
        if name in entry.get(place, {}):
            return entry[place][name]
    return None


def brief(text, limit=300):
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def answer_brief(body):
    """`code: message` of a Cashfree error body, else the body itself, short."""
    try:
        error = json.loads(body)
        return brief(f"{error.get('code')}: {error.get('message')}")
    except (TypeError, ValueError, AttributeError):
        return brief(body)


def parsed(raw):
    try:
        return json.loads(raw)
    except (TypeError, ValueError):
        return None


def first_value(document, key):
    """The first value named `key` anywhere in a JSON document (depth first), or None."""
    if isinstance(document, dict):
        if key in document:
            return document[key]
        document = list(document.values())
    if isinstance(document, list):
        for item in document:
            found = first_value(item, key)
            if found is not None:
                return found
    return None


def unreadable(error, answer):
    """Why the SDK could not read `answer`: each field its model refused, with the value sent."""
    if not isinstance(error, pydantic.ValidationError):
        return f"{type(error).__name__}: {brief(error)}"
    fields = []
    for problem in error.errors()[:4]:
        names = [str(part) for part in problem["loc"]]
        key = next((part for part in problem["loc"] if isinstance(part, str)), None)
        sent = json.dumps(first_value(answer, key)) if key else "?"
        fields.append(f"{error.model.__name__}.{'.'.join(names)} = {brief(sent, 60)}: {problem['msg']}")
    return "; ".join(fields)


def call(name, method, path, signature, requests, answers, client):
    """Calls one operation; returns its result line."""
    request = f"{method} {path}" if method else "?"
    line = {"kind": "call", "sdk": "python", "operation": name, "request": request}

    def failed(status, reason):
        return {**line, "outcome": "failed", "status": status, "reason": reason}

    if method is None:
        return failed(None, "no HTTP method and path found in the SDK's source for it")
    entry = requests["operations"].get(request)
    documented = entry is not None
    entry = entry or {}
    earlier = answers.get(entry.get("after"))
    args, sent = {}, {}
    for pname, param in signature.parameters.items():
        if pname in ("self", "kwargs"):
            continue
        kind, required = declared(param.annotation)
        if pname == "x_api_version":
            args[pname] = API_VERSION
        elif pname == "x_cf_signature":
            continue
        elif isinstance(kind, type) and issubclass(kind, pydantic.BaseModel):
            body = entry.get("body", {})
            try:
                args[pname] = kind.parse_obj(body)
            except pydantic.ValidationError as e:
                return failed(None, f"the SDK's {kind.__name__} refuses the spec's request: {brief(e)}")
            sent.update(body if isinstance(body, dict) else {})
        elif is_file(kind):
            file = entry.get("files", {}).get(pname)
            if file is None and (required or not documented):
                file = requests["sample_image"]
            if file is not None:
                args[pname] = file
        else:
            value = lookup(pname, entry, earlier)
            if value is None and required:
                value = "sdk-test-1"
            if value is not None:
                args[pname] = coerce(value, kind)
                sent[pname] = value
    client.last_response = None
    try:
        response = getattr(Cashfree(), name)(**args, _request_timeout=TIMEOUT)
    except ApiException as e:
        return failed(e.status, f"HTTP {e.status} {answer_brief(e.body)}")
    except Exception as e:  # the SDK's own failures are what this test reports
        answered = client.last_response
        if answered is None:
            return failed(None, f"not sent: {type(e).__name__}: {brief(e)}")
        # The answer arrived: later lookups still take their ids from it, so each operation is
        # judged on its own.
        answer = parsed(answered.data)
        answers[request] = (sent, answer)
        return failed(
            answered.status,
            f"HTTP {answered.status} answered and the SDK cannot read it: {unreadable(e, answer)}",
        )
    answers[request] = (sent, parsed(response.raw_data))
    if not 200 <= response.status_code < 300 or response.data is None:
        return failed(response.status_code, f"HTTP {response.status_code} with no typed answer")
    note = "" if documented else f"{request} is not in api/openapi.json"
    return {**line, "outcome": "ok", "status": response.status_code, "reason": note}


def main():
    base_url, requests_file = sys.argv[1:3]
    with open(requests_file, encoding="utf-8") as f:
        requests = json.load(f)
    self_test = loopback_only.self_test()

    Cashfree.XClientId = os.environ["CASHFREE_SDK_TEST_CLIENT_ID"]
    Cashfree.XClientSecret = os.environ["CASHFREE_SDK_TEST_CLIENT_SECRET"]
    Cashfree.XEnvironment = Cashfree.SANDBOX
    client = SandboxHostClient(base_url)
    ApiClient.set_default(client)

    ops = operations()
    version = importlib.metadata.version("cashfree-verification")
    print(json.dumps({"kind": "sdk", "sdk": "python", "version": version, "operations": len(ops)}))
    answers = {}
    for name, method, path, signature in ops:
        print(json.dumps(call(name, method, path, signature, requests, answers, client)), flush=True)
    print(json.dumps({"kind": "guard", "self_test": self_test, "refused": loopback_only.refused}))


if __name__ == "__main__":
    main()
