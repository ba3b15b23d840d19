"""Regenerate the console screenshots of docs/console.md (and the README's).

Starts ``daka serve --demo`` on a temporary database with its clock at a Thursday morning,
signs in as the demo's HR account with Playwright and Debian's Chromium, and saves each view
as docs/console/<name>.png. Chinese text needs a CJK font (Debian: fonts-noto-cjk).

    .venv/bin/python scripts/console_screenshots.py
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx
from playwright.sync_api import sync_playwright

REPO = Path(__file__).resolve().parents[1]
OUT = REPO / "docs" / "console"
CLOCK = "2026-12-03T10:40:00+08:00"  # a Thursday: the morning's punches are in
SINCE, UNTIL = "2026-11-01", "2026-11-30"
VIEWS = {
    "login": "/console/login",
    "today": "/console/today",
    "punches": "/console/punches?since=2026-12-02&until=2026-12-02",
    "days": "/console/days?since=2026-12-02&until=2026-12-02",
    "month": f"/console/month?since={SINCE}&until={UNTIL}",
    "day": "/console/day/wangwu/2026-12-02",
    "trends": f"/console/trends?since={SINCE}&until={UNTIL}",
    "approvals": "/console/approvals",
    "approval-new": "/console/approvals/new?userid=zhangsan&date=2026-12-04",
    "person": "/console/person/zhangsan",
    "people": "/console/people",
    "rules": "/console/rules",
    "holidays": "/console/holidays?year=2026",
    "audit": "/console/audit",
}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    with tempfile.TemporaryDirectory() as tmp:
        exe = Path(sys.executable).parent / "daka"
        env = {**os.environ, "DAKA_CLOCK": CLOCK}
        argv = [
            str(exe),
            "serve",
            "--demo",
            "--db",
            f"sqlite:///{tmp}/demo.db",
            "--port",
            str(port),
        ]
        server = subprocess.Popen(
            argv, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT
        )
        try:
            for _ in range(300):
                try:
                    if httpx.get(f"{base}/healthz").status_code == 200:
                        break
                except httpx.TransportError:
                    time.sleep(0.1)
            shoot(base)
        finally:
            server.terminate()
            server.wait(timeout=15)


def shoot(base: str) -> None:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium")
        page = browser.new_page(base_url=base, viewport={"width": 1280, "height": 800})
        page.goto("/console/login")
        page.screenshot(path=OUT / "login.png")
        page.get_by_label("用户名").fill("hr")
        page.get_by_label("密码").fill("daka-demo-console")
        page.get_by_role("button", name="登录").click()
        page.wait_for_url("**/console/today")
        for name, path in VIEWS.items():
            if name == "login":
                continue
            page.goto(path)
            page.screenshot(path=OUT / f"{name}.png")
            print(f"docs/console/{name}.png ← {path}")
        page.goto("/console/lang?to=en&next=/console/month?since=2026-11-01%26until=2026-11-30")
        page.screenshot(path=OUT / "month-en.png")
        browser.close()


if __name__ == "__main__":
    main()
