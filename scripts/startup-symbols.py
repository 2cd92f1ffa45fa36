#!/usr/bin/env python3
"""Writes .cargo/startup-symbols.txt: the functions one `policy:check deploy` (and `--version`)
runs, for the linker to lay out next to each other (`--symbol-ordering-file`, .cargo/config.toml).

A command touches ~1,150 of the binary's ~20,000 functions; spread over 11 MiB of text they
cost ~100 page faults at start-up, laid out together ~30. The list names symbols as mangled
in the binaries given: Rust's hashes change with the toolchain, the build flags and the
dependencies' features, so regenerate after changing any of them (a name the linker does not
find is skipped; only the layout suffers). The bench's binary is built with the
dev-dependencies' features (serde_json, regex-automata, ...), so it has names of its own:
list both.

    cargo build --release --locked && cp target/x86_64-unknown-linux-gnu/release/maestro-cli /tmp/release
    cargo bench --locked --no-run --bench policy   # leaves the bench's maestro-cli in the same place
    python3 scripts/startup-symbols.py /tmp/release target/x86_64-unknown-linux-gnu/release/maestro-cli
    touch src/main.rs && cargo build --release --locked   # relink with the new list

`--check BIN` (run by .ci/run on its release build) lists what BIN runs and fails when more
than a tenth of it is missing from the file, that is when the file no longer fits the build.

Needs valgrind (callgrind lists every function a run executes) and nm.
"""

import bisect
import os
import re
import subprocess
import sys
import tempfile

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".cargo", "startup-symbols.txt")

CONFIG = """[platform.clusters]
eu-prod-1 = { region = "eu-west-1" }
us-prod-1 = { region = "us-east-1" }
"""

CHECK = ["policy:check", "deploy", "--tenant", "acme", "--service", "api", "--env", "prod", "--cluster", "us-prod-1"]


def run(binary, home, args, wrap=()):
    env = dict(os.environ, MAESTRO_HOME=home, MAESTRO_ACTOR="bench@example.com")
    env.pop("RUST_BACKTRACE", None)
    subprocess.run([*wrap, binary, *args], cwd=home, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def executed(binary, home, args, out):
    """The (mangled) names callgrind saw executed, in the order it wrote them."""
    run(binary, home, args, ("valgrind", "--tool=callgrind", "--demangle=no", f"--callgrind-out-file={out}"))
    if not os.path.exists(out):
        sys.exit(f"callgrind wrote no profile of `{binary} {' '.join(args)}`")
    names, order = {}, {}
    with open(out) as f:
        for line in f:
            m = re.match(r"^(c?fn)=\((\d+)\)(?: (.*))?$", line.rstrip("\n"))
            if not m:
                continue
            kind, ident, name = m.groups()
            if name:
                names[ident] = name
            if kind == "fn":
                order.setdefault(ident)
    return [names[i] for i in order if i in names]


def functions(binary):
    """`(address, name)` of every function defined in `binary`, by address."""
    nm = subprocess.run(["nm", "--defined-only", binary], capture_output=True, text=True, check=True)
    table = []
    for line in nm.stdout.splitlines():
        parts = line.split(None, 2)
        if len(parts) == 3 and parts[1] in "tTwW":
            table.append((int(parts[0], 16), parts[2]))
    return sorted(table)


def startup(binary):
    """The functions of `binary` that one check and `--version` run, in callgrind's order."""
    if not os.path.isfile(binary):
        sys.exit(f"{binary}: no such file (build it first: `cargo build --release --locked`)")
    table = functions(binary)
    starts = [a for a, _ in table]
    known = {n for _, n in table}
    with tempfile.TemporaryDirectory() as home:
        with open(os.path.join(home, "maestro.toml"), "w") as f:
            f.write(CONFIG)
        run(binary, home, ["tenant:create", "acme", "--regions", "eu-west-1", "--admin", "a@acme.example"])
        for _ in range(3):
            run(binary, home, CHECK)  # the decisions are remembered, as in the bench
        seen, symbols = set(), []
        for args in (CHECK, ["--version"]):
            for name in executed(binary, home, args, os.path.join(home, "callgrind.out")):
                name = re.sub(r"'\d+$", "", name)  # callgrind's recursion marker
                if name.startswith("0x"):  # no symbol of its own: the function around it
                    i = bisect.bisect_right(starts, int(name, 16)) - 1
                    if i < 0:
                        continue
                    name = table[i][1]
                if name in known and name not in seen:
                    seen.add(name)
                    symbols.append(name)
    return symbols


def check(binary):
    with open(OUT) as f:
        listed = {line.strip() for line in f if line.strip()}
    runs = startup(binary)
    missing = [n for n in runs if n not in listed]
    print(f"startup symbols: {len(runs) - len(missing)} of the {len(runs)} functions {binary} runs are listed")
    if len(missing) * 10 > len(runs):
        sys.exit(
            ".cargo/startup-symbols.txt no longer fits the build (toolchain, dependencies or flags "
            "changed): regenerate it as scripts/startup-symbols.py says"
        )


def main():
    args = sys.argv[1:]
    if len(args) == 2 and args[0] == "--check":
        return check(os.path.abspath(args[1]))
    if not args or args[0].startswith("-"):
        sys.exit("usage: scripts/startup-symbols.py [--check] PATH/TO/maestro-cli...")
    seen, symbols = set(), []
    for binary in args:
        for name in startup(os.path.abspath(binary)):
            if name not in seen:
                seen.add(name)
                symbols.append(name)
    with open(OUT, "w") as f:
        f.write("\n".join(symbols) + "\n")
    print(f"{len(symbols)} symbols written to {os.path.normpath(OUT)}")


if __name__ == "__main__":
    try:
        main()
    except FileNotFoundError as e:
        sys.exit(f"`{e.filename}` not found: this script needs valgrind and nm (binutils)")
