#!/usr/bin/env python3
"""A Pacioli client in Python with only the standard library (docs/recipes/http.md).

Usage: python3 http-client.py http://127.0.0.1:8080

It opens a wallet, tops it up, retries the top-up (the same idempotency key returns the
original result), tries to overspend (a retryable rejection, 409), sends a malformed request
(400 with the fields at fault), reads the balances, history (a line joined to its command by
its idempotency key), an account's balance and the change feed. CI runs it
against a real `pacioli serve` (packages/cli/src/e2e/serve.e2e.test.ts).

Money is always a decimal string ("25.00"), never a float: parse it with decimal.Decimal.
"""
import json
import sys
import time
import urllib.error
import urllib.request
from decimal import Decimal

RETRIES_MAX = 5  # 503 means "not decided yet or store away": retry with the SAME key


class Answer:
    def __init__(self, status, headers, body):
        self.status = status
        self.headers = headers
        self.body = body
        self.text = body.decode("utf-8")
        self.json = json.loads(self.text) if self.text else None


def call(base, method, path, payload=None, headers=None):
    data = None if payload is None else json.dumps(payload).encode("utf-8")
    request = urllib.request.Request(base + path, data=data, method=method)
    request.add_header("Accept", "application/json")
    if data is not None:
        request.add_header("Content-Type", "application/json")
    for name, value in (headers or {}).items():
        request.add_header(name, value)
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return Answer(response.status, response.headers, response.read())
    except urllib.error.HTTPError as error:  # 4xx and 5xx still carry a JSON body
        return Answer(error.code, error.headers, error.read())


def execute(base, idempotency_key, command):
    """POST /commands, retrying a 503 with the same key (safe: a retry is never applied twice)."""
    for _attempt in range(RETRIES_MAX):
        answer = call(base, "POST", "/commands", {"command": command}, {"Idempotency-Key": idempotency_key})
        if answer.status != 503:
            return answer
        time.sleep(int(answer.headers.get("Retry-After", "1")))
    return answer


def main(base):
    opened = execute(base, "open-ana", {"type": "OpenWallet", "walletId": "ana", "ownerId": "ana"})
    print(f"open: {opened.status} {opened.json['status']}")

    top_up = {"type": "DepositFunds", "walletId": "ana", "amount": {"currency": "USD", "amount": "25.00"}, "channel": "card"}
    first = execute(base, "top-up-1", top_up)
    retry = execute(base, "top-up-1", top_up)
    print(f"top-up: {first.status}, events {[e['event']['type'] for e in first.json['events']]}")
    print(f"retry: {retry.status}, same body: {retry.body == first.body}")

    withdraw = {"type": "WithdrawFunds", "walletId": "ana", "amount": {"currency": "USD", "amount": "10.00"}, "channel": "bank"}
    print(f"withdraw: {execute(base, 'withdraw-1', withdraw).status}")

    overspend = dict(withdraw, amount={"currency": "USD", "amount": "99.00"})
    refused = execute(base, "withdraw-2", overspend)
    print(f"overspend: {refused.status} {refused.json['rejection']['_tag']} retryable={refused.json['retryable']}")

    bad = call(base, "POST", "/commands", {"idempotencyKey": "bad-1", "command": {"type": "DepositFunds", "walletId": "ana", "amount": {"currency": "USD", "amount": 12.5}, "channel": "card"}})
    print(f"invalid: {bad.status} {[issue['path'] for issue in bad.json['issues']]}")

    for line in call(base, "GET", "/wallets/ana/balances").json["balances"]:
        print(f"balances: {line['currency']} available {Decimal(line['available'])} held {Decimal(line['held'])}")

    cursor, pages = None, 0
    while True:
        page = call(base, "GET", "/wallets/ana/history?limit=1" + ("" if cursor is None else f"&cursor={cursor}")).json
        pages += 1
        cursor = page["nextCursor"]
        if cursor is None:
            break
    print(f"history: {pages} pages of 1")

    # Join a line to your own order: each carries its command's key (and id, actor, metadata).
    line = call(base, "GET", "/wallets/ana/history?limit=1").json["lines"][0]
    found = call(base, "GET", f"/events/lookup?idempotencyKey={line['idempotencyKey']}").json["events"]
    print(f"newest line: {line['type']} key {line['idempotencyKey']} counterparty {line['counterparty']}, {len(found)} event found")
    card = call(base, "GET", "/accounts/assets:clearing:card/balance?currency=USD").json
    print(f"card clearing: {card['balance']} as of sequence {card['sequence']}")

    feed = call(base, "GET", "/events?limit=100").json
    print(f"events: {len(feed['events'])}, last position {feed['last']}")
    audit = call(base, "GET", "/audit").json
    print(f"audit: sequence {audit['sequence']}, trial balance zero: {audit['trialBalanceIsZero']}")
    return 0


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.stderr.write("usage: python3 http-client.py BASE_URL\n")
        sys.exit(2)
    sys.exit(main(sys.argv[1].rstrip("/")))
