"""The peers' Python: a venv made once under a bench's work folder with the packages a bench
compares against, for the benches to share (bench_xlsx.py, bench_xls.py). Standard library only."""
import os
import shutil
import subprocess
import sys


def imports(python, code):
    """Whether `python -c code` succeeds (quietly)."""
    try:
        return subprocess.run([python, "-c", code], capture_output=True, timeout=120).returncode == 0
    except Exception:
        return False


def peer_venv(workdir, packages, who):
    """The python of the venv at workdir/peer-venv with `packages`, made on first use; None, with
    the reason printed (prefixed by `who`), when it cannot be made."""
    venv = os.path.join(workdir, "peer-venv")
    python = os.path.join(venv, "bin", "python")
    marker = os.path.join(venv, ".complete")
    if os.path.exists(marker) and os.path.exists(python):
        return python
    print(f"{who}: creating {venv} with {' '.join(packages)} (once) ...", flush=True)
    shutil.rmtree(venv, ignore_errors=True)
    made = subprocess.run([sys.executable, "-m", "venv", venv], capture_output=True, text=True)
    if made.returncode != 0:
        print(f"{who}: cannot create a venv ({(made.stderr or made.stdout).strip()[-300:]}); "
              "apt-get install python3-venv to fix", flush=True)
        return None
    pip = subprocess.run([python, "-m", "pip", "install", "--quiet", "--disable-pip-version-check"] + packages,
                         capture_output=True, text=True)
    if pip.returncode != 0:
        print(f"{who}: pip failed ({(pip.stderr or pip.stdout).strip()[-500:]})", flush=True)
        return None
    open(marker, "w").close()
    return python
