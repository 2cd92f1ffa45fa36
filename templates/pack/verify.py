#!/usr/bin/env python3
"""Checks a maestro-cli disclosure pack without maestro-cli: Python 3.8+, standard library only.

Run it in the unpacked pack (`tar xzf pack.tar.gz -C pack && cd pack`):

    python3 verify/verify.py [--pubkey maestro-pack.pub] [--log-pubkey maestro-log.pub] [--json]

It checks, and exits 4 listing every problem (0 when all hold):
  1. every file against manifest.json (sha256 and size; nothing missing, nothing unlisted);
  2. manifest.json's minisign signature with the pack key (--pubkey, else the pack's own
     maestro-pack.pub, which proves only that the files were not changed after signing);
  3. each audit event's hash over its content, the events in order, and each naming the
     tenant's event before it (`tenant_prev`), so none was left out between two shown;
  4. audit/checkpoint.txt, the audit log's signed checkpoint: its Ed25519 signature with the
     log's verifier key (--log-pubkey: the log key is not the pack key), then that the events,
     as the exact bytes of their lines, with audit/checkpoint-proof.bin make its root
     (RFC 9162 Merkle tree: leaf SHA-256(0x00 || line), node SHA-256(0x01 || left || right)).

Ed25519 is computed here in pure Python (RFC 8032), so nothing needs installing.
"""

import base64
import hashlib
import json
import os
import sys

# --- Ed25519 verification (RFC 8032 section 5.1.7), extended coordinates -------------------

P = 2**255 - 19
Q = 2**252 + 27742317777372353535851937790883648493
D = -121665 * pow(121666, P - 2, P) % P
SQRT_M1 = pow(2, (P - 1) // 4, P)


def _x_from_y(y, sign):
    xx = (y * y - 1) * pow(D * y * y + 1, P - 2, P) % P
    x = pow(xx, (P + 3) // 8, P)
    if (x * x - xx) % P:
        x = x * SQRT_M1 % P
    if (x * x - xx) % P:
        return None
    if x == 0 and sign:
        return None
    if x & 1 != sign:
        x = P - x
    return x


def _point(x, y):
    return (x, y, 1, x * y % P)


_BY = 4 * pow(5, P - 2, P) % P
BASE = _point(_x_from_y(_BY, 0), _BY)
NEUTRAL = (0, 1, 1, 0)


def _add(a, b):
    x1, y1, z1, t1 = a
    x2, y2, z2, t2 = b
    aa = (y1 - x1) * (y2 - x2) % P
    bb = (y1 + x1) * (y2 + x2) % P
    cc = 2 * D * t1 * t2 % P
    dd = 2 * z1 * z2 % P
    e, f, g, h = bb - aa, dd - cc, dd + cc, bb + aa
    return (e * f % P, g * h % P, f * g % P, e * h % P)


def _mul(k, pt):
    out = NEUTRAL
    while k:
        if k & 1:
            out = _add(out, pt)
        pt = _add(pt, pt)
        k >>= 1
    return out


def _encode(pt):
    x, y, z, _ = pt
    zi = pow(z, P - 2, P)
    x, y = x * zi % P, y * zi % P
    return (y | ((x & 1) << 255)).to_bytes(32, "little")


def _decode(b):
    if len(b) != 32:
        return None
    y = int.from_bytes(b, "little")
    sign = y >> 255
    y &= (1 << 255) - 1
    if y >= P:
        return None
    x = _x_from_y(y, sign)
    return None if x is None else _point(x, y)


def ed25519_verify(public, message, signature):
    if len(public) != 32 or len(signature) != 64:
        return False
    a, r = _decode(public), _decode(signature[:32])
    s = int.from_bytes(signature[32:], "little")
    if a is None or r is None or s >= Q:
        return False
    h = int.from_bytes(hashlib.sha512(signature[:32] + public + message).digest(), "little") % Q
    return _encode(_mul(s, BASE)) == _encode(_add(r, _mul(h, a)))


# --- RFC 9162 Merkle tree ------------------------------------------------------------------


def leaf_hash(data):
    return hashlib.sha256(b"\x00" + data).digest()


def node_hash(left, right):
    return hashlib.sha256(b"\x01" + left + right).digest()


def split(n):
    k = 1
    while k * 2 < n:
        k *= 2
    return k


def root_from_multi_proof(size, leaves, proof):
    """The root from leaves [(index, hash)] ascending and the proof's hashes (depth first)."""
    if size == 0:
        # The empty tree holds no leaf and needs no proof.
        if leaves or proof:
            raise ValueError("the checkpoint's tree is empty")
        return hashlib.sha256(b"").digest()
    state = {"leaf": 0, "proof": 0}

    def walk(lo, hi):
        i = state["leaf"]
        if i < len(leaves) and leaves[i][0] < hi:
            if leaves[i][0] < lo:
                raise ValueError("leaf %d is out of order" % leaves[i][0])
            if hi - lo == 1:
                state["leaf"] += 1
                return leaves[i][1]
            k = split(hi - lo)
            left = walk(lo, lo + k)
            return node_hash(left, walk(lo + k, hi))
        if state["proof"] >= len(proof):
            raise ValueError("the proof is too short")
        state["proof"] += 1
        return proof[state["proof"] - 1]

    root = walk(0, size)
    if state["leaf"] != len(leaves):
        raise ValueError("leaf %d is outside the tree" % leaves[state["leaf"]][0])
    if state["proof"] != len(proof):
        raise ValueError("the proof has %d hashes too many" % (len(proof) - state["proof"]))
    return root


# --- the pack ------------------------------------------------------------------------------

GENESIS = "0" * 64


def read(path):
    with open(path, "rb") as f:
        return f.read()


def minisign_check(public_text, signature_text, data):
    """Checks a minisign signature (prehashed, BLAKE2b-512); returns the trusted comment."""
    key = base64.b64decode(public_text.strip().splitlines()[-1])
    lines = signature_text.strip().splitlines()
    sig = base64.b64decode(lines[1])
    if key[:2] != b"Ed" or sig[:2] != b"ED" or key[2:10] != sig[2:10]:
        raise ValueError("the signature is not by this key")
    if not ed25519_verify(key[10:42], hashlib.blake2b(data, digest_size=64).digest(), sig[10:74]):
        raise ValueError("the signature does not match manifest.json")
    trusted = lines[2][len("trusted comment: "):]
    if not ed25519_verify(key[10:42], sig[10:74] + trusted.encode(), base64.b64decode(lines[3])):
        raise ValueError("the trusted comment's signature does not match")
    return trusted


def parse_verifier(text):
    name, key_id, raw = text.strip().split("+", 2)
    raw = base64.b64decode(raw)
    if raw[:1] != b"\x01" or len(raw) != 33:
        raise ValueError("not an Ed25519 verifier key")
    digest = hashlib.sha256(name.encode() + b"\n" + raw).digest()
    if digest[:4].hex() != key_id:
        raise ValueError("the key id does not match the key")
    return name, bytes.fromhex(key_id), raw[1:]


def checkpoint_check(note, verifier):
    text, _, signatures = note.partition("\n\n")
    lines = text.split("\n")
    origin, size, root = lines[0], int(lines[1]), base64.b64decode(lines[2])
    if verifier is None:
        return origin, size, root, "not checked: pass --log-pubkey with the log's verifier key"
    name, key_id, public = verifier
    if origin != name:
        raise ValueError("the checkpoint is of `%s`, the key of `%s`" % (origin, name))
    for line in signatures.split("\n"):
        if not line.startswith("\u2014 " + name + " "):
            continue
        raw = base64.b64decode(line.rsplit(" ", 1)[1])
        if raw[:4] == key_id:
            if not ed25519_verify(public, (text + "\n").encode(), raw[4:]):
                raise ValueError("the signature by `%s` does not match the checkpoint" % name)
            return origin, size, root, "verified by %s+%s" % (name, key_id.hex())
    raise ValueError("no signature by `%s+%s`" % (name, key_id.hex()))


def event_hash(line, event):
    """The chain hash of an event line: sha256(prev_hash || canonical JSON of the event)."""
    start = line.index(b'"details":') + len(b'"details":')
    end = line.rindex(b',"prev_hash":')
    details = line[start:end].decode()

    def js(value):
        return json.dumps(value, ensure_ascii=False)

    body = '{"action":%s,"actor":%s,"at":%s,"details":%s,"seq":%d,"target":%s,"tenant_id":%s}' % (
        js(event["action"]),
        js(event["actor"]),
        js(event["at"]),
        details,
        event["seq"],
        js(event["target"]),
        "null" if event["tenant_id"] is None else js(event["tenant_id"]),
    )
    return hashlib.sha256(event["prev_hash"].encode() + body.encode()).hexdigest()


def verify(root_dir, pubkey=None, log_pubkey=None):
    problems = []
    report = {"ok": False, "checkpoint": None, "problems": problems}
    manifest_bytes = read(os.path.join(root_dir, "manifest.json"))
    manifest = json.loads(manifest_bytes)
    listed = {}
    for f in manifest.get("files", []):
        listed[f["path"]] = f
        path = os.path.join(root_dir, f["path"])
        if not os.path.isfile(path):
            problems.append("`%s` is listed in the manifest but missing" % f["path"])
            continue
        data = read(path)
        if hashlib.sha256(data).hexdigest() != f.get("sha256") or len(data) != f.get("size"):
            problems.append("`%s` was altered: its sha256 or size differs from the manifest" % f["path"])
    for dirpath, _, names in os.walk(root_dir):
        for n in names:
            rel = os.path.relpath(os.path.join(dirpath, n), root_dir).replace(os.sep, "/")
            if rel not in listed and rel not in ("manifest.json", "manifest.json.minisig"):
                problems.append("`%s` is not listed in the manifest" % rel)
    key_text = read(pubkey).decode() if pubkey else read(os.path.join(root_dir, "maestro-pack.pub")).decode()
    try:
        report["signed"] = minisign_check(
            key_text, read(os.path.join(root_dir, "manifest.json.minisig")).decode(), manifest_bytes
        )
    except (OSError, ValueError, IndexError) as e:
        problems.append("manifest.json.minisig: %s" % e)
    events_path = os.path.join(root_dir, "audit", "events.jsonl")
    lines = read(events_path).split(b"\n") if os.path.isfile(events_path) else []
    if lines and lines[-1] == b"":
        lines.pop()  # the newline that ends the last line
    leaves, last = [], 0
    for number, line in enumerate(lines, 1):
        try:
            event = json.loads(line)
            if not isinstance(event.get("seq"), int) or isinstance(event["seq"], bool):
                raise ValueError("seq is not a whole number")
            if event_hash(line, event) != event["hash"]:
                problems.append("audit/events.jsonl: event %d was altered (its hash does not match its content)" % event["seq"])
        except Exception as e:  # noqa: BLE001 - whatever a hostile line does is a problem, not a crash
            problems.append("audit/events.jsonl:%d: not an audit event: %s" % (number, e))
            continue
        if event["seq"] <= last:
            problems.append("audit/events.jsonl: event %d is out of order" % event["seq"])
        # Each of the tenant's events names the one before it (the tree commits to it).
        prev = event.get("tenant_prev")
        if isinstance(prev, int) and not isinstance(prev, bool):
            if last == 0:
                period = manifest.get("period") or {}
                if period.get("from") is None and prev != 0:
                    problems.append("audit/events.jsonl: event %d follows the tenant's event %d: the tenant's first events were left out" % (event["seq"], prev))
                elif prev >= event["seq"]:
                    problems.append("audit/events.jsonl: event %d names a later event (%d) as the one before it" % (event["seq"], prev))
            elif prev != last:
                problems.append("audit/events.jsonl: event %d follows the tenant's event %d, not %d: the tenant's events between them were left out" % (event["seq"], prev, last))
        last = event["seq"]
        if event["seq"] >= 1:
            leaves.append((event["seq"] - 1, leaf_hash(line)))
    checkpoint_path = os.path.join(root_dir, "audit", "checkpoint.txt")
    if os.path.isfile(checkpoint_path):
        try:
            verifier = parse_verifier(read(log_pubkey).decode()) if log_pubkey else None
            origin, size, root, signature = checkpoint_check(read(checkpoint_path).decode(), verifier)
            report["checkpoint"] = {"origin": origin, "size": size, "root": root.hex(), "signature": signature}
        except (OSError, ValueError, IndexError) as e:
            problems.append("audit/checkpoint.txt: %s" % e)
        if report["checkpoint"] is not None:
            try:
                raw = read(os.path.join(root_dir, "audit", "checkpoint-proof.bin"))
                proof = [raw[i:i + 32] for i in range(0, len(raw), 32)]
                if len(raw) % 32:
                    raise ValueError("not a list of SHA-256 hashes")
                if root_from_multi_proof(size, leaves, proof) != root:
                    problems.append("the events and audit/checkpoint-proof.bin do not make the checkpoint's root: events were changed, added or moved")
            except (OSError, ValueError, RecursionError) as e:
                problems.append("audit/checkpoint-proof.bin: %s" % e)
    elif manifest.get("format") == "maestro-pack/2" and leaves:
        problems.append("audit/checkpoint.txt is missing: a pack of format 2 proves its events against the audit log's checkpoint")
    elif log_pubkey and leaves:
        problems.append("the pack carries no checkpoint of the audit log (audit/checkpoint.txt): --log-pubkey cannot be checked")
    report["ok"] = not problems
    return report


def main(argv):
    args = {"--pubkey": None, "--log-pubkey": None}
    as_json = False
    root_dir = "."
    it = iter(argv)
    for a in it:
        if a in args:
            args[a] = next(it, None)
        elif a == "--json":
            as_json = True
        else:
            root_dir = a
    report = verify(root_dir, args["--pubkey"], args["--log-pubkey"])
    if as_json:
        print(json.dumps(report, indent=2))
    else:
        for p in report["problems"]:
            print("problem: %s" % p, file=sys.stderr)
        if report["ok"]:
            c = report["checkpoint"]
            print("ok" + ("" if c is None else ": events proven in %s's checkpoint of %d events (signature %s)" % (c["origin"], c["size"], c["signature"])))
    return 0 if report["ok"] else 4


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
