#!/usr/bin/env python3
"""Load and latency benchmark of a running-from-scratch `anze` (release build).

Usage: scripts/bench.py DATA_DIR [--database-url URL] [--import-rows N] [--only photos|hazards] [--campaigns-only]

DATA_DIR must hold a database made by `anze --data DATA_DIR demo --scale city` (or set
--database-url to a PostgreSQL database loaded the same way). The script starts
`target/release/anze serve` on a free port, then measures, printing one line each:
  - the enterprise list (API, 50 rows): the first page, a page 200 pages deep, a township's
    first page and a filtered page (industry + risk); median and p95 of 30 requests each;
  - the idle server's resident memory;
  - 100 simultaneous sign-ins: all must succeed; peak resident memory while they run;
  - importing N staff rows (default 100 000) from an .xlsx through the API: wall time;
  - coverage: the city rollup by township and by industry, and a township's drill-down to its
    enterprises; median and p95 of 30 requests each;
  - hazards (a million in the city demo): the city overview by township and by industry, a
    township's list (newest first) and its overdue hazards; median and p95 of 30 requests each;
  - an employee's phone page (the QR page, and the page of their own lists after they identify)
    with the server pinned to one core: requests/s and p99 from `wrk` (apt install wrk);
  - a 5 MB phone photo (12 MP, made by scripts/make-site-photo.py) uploaded with a new hazard
    through the API: stored in the object store, hashed, EXIF read and thumbnailed; median and
    max of 10 uploads, each with different bytes so every one is really written
    (`--only photos` runs just this, on any demo database).
It needs only the Python standard library, plus openpyxl for the import sheet and pillow and
piexif for the photo.
"""
import argparse, json, os, socket, statistics, subprocess, sys, threading, time, urllib.parse, urllib.request

def free_port():
    s = socket.socket(); s.bind(("127.0.0.1", 0)); p = s.getsockname()[1]; s.close(); return p

def rss_mb(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0

def call(base, method, path, body=None, token=None, raw=None, ctype="application/json"):
    data = raw if raw is not None else (json.dumps(body).encode() if body is not None else None)
    req = urllib.request.Request(base + path, method=method, data=data)
    if data is not None:
        req.add_header("Content-Type", ctype)
    if token:
        req.add_header("Authorization", "Bearer " + token)
    with urllib.request.urlopen(req, timeout=600) as r:
        return r.status, json.loads(r.read() or b"null")

def timed(base, path, token, n=30):
    times = []
    for _ in range(n):
        t = time.perf_counter(); call(base, "GET", path, token=token); times.append((time.perf_counter() - t) * 1000)
    times.sort()
    return statistics.median(times), times[int(len(times) * 0.95) - 1]

def wrk(url, lua=None, seconds=10):
    """requests/s and p99 (ms) from wrk, pinned to the second core."""
    cmd = ["taskset", "-c", "1", "wrk", "-t1", "-c16", f"-d{seconds}s", "--latency", url]
    if lua:
        cmd[6:6] = ["-s", lua]
    out = subprocess.run(cmd, capture_output=True, text=True, check=True).stdout
    rps = float(next(l for l in out.splitlines() if l.startswith("Requests/sec")).split()[1])
    p99 = next(l for l in out.splitlines() if l.strip().startswith("99%")).split()[1]
    non2xx = next((l for l in out.splitlines() if "Non-2xx" in l), "")
    ms = float(p99[:-2]) if p99.endswith("ms") else float(p99[:-2]) / 1000 if p99.endswith("us") else float(p99[:-1]) * 1000
    return rps, ms, non2xx.strip()

def phone(base, token, pid):
    """An employee's phone pages with the server on one core (taskset), wrk on the other."""
    if subprocess.run(["which", "wrk"], capture_output=True).returncode != 0:
        print("phone page: skipped (install wrk)"); return
    _, page = call(base, "GET", "/api/v1/enterprises?limit=20", token=token)
    for e in page["items"]:
        _, staff = call(base, "GET", f"/api/v1/organisations/{e['id']}/staff", token=token)
        if staff:
            break
    person = staff[0]
    _, qr = call(base, "POST", f"/api/v1/organisations/{e['id']}/qr", token=token)
    subprocess.run(["taskset", "-a", "-pc", "0", str(pid)], capture_output=True, check=True)
    rps, p99, bad = wrk(base + qr["path"])
    print(f"phone page GET {qr['path'][:12]}…: {rps:.0f} req/s, p99 {p99:.1f} ms (one core) {bad}")
    body = urllib.parse.urlencode({"name": person["name"], "last4": person["phone"][-4:]})
    lua = os.path.join(os.environ.get("TMPDIR", "/tmp"), "anze-phone.lua")
    with open(lua, "w") as f:
        f.write('wrk.method = "POST"\nwrk.body = "%s"\nwrk.headers["Content-Type"] = "application/x-www-form-urlencoded"\n' % body)
    rps, p99, bad = wrk(base + qr["path"], lua)
    print(f"phone page of one employee's lists (POST): {rps:.0f} req/s, p99 {p99:.1f} ms (one core) {bad}")
    subprocess.run(["taskset", "-a", "-pc", "0,1", str(pid)], capture_output=True)

def campaigns(base, token, root):
    """The shipped campaign's city board and one township's to-do list (issue 5)."""
    _, loaded = call(base, "GET", "/api/v1/campaigns", token=token)
    if not any(c["code"] == "feianfa-2024-4" for c in loaded):
        text = open(os.path.join(root, "campaigns", "feianfa-2024-4.toml"), encoding="utf-8").read()
        call(base, "POST", "/api/v1/campaigns", {"source": text}, token=token)
    _, board = call(base, "GET", "/api/v1/board?on=2024-07-01", token=token)
    cells = sum(1 for r in board["rows"] for c in r["cells"] if c)
    town = next(r["organisation_id"] for r in board["rows"] if r["kind"] == "township_office")
    _, ent = call(base, "GET", "/api/v1/enterprises?limit=1", token=token)
    print(f"campaign board ({len(board['rows'])} units x {len(board['columns'])} obligations, {cells} cells; median / p95 ms):")
    print("  city board          %.1f / %.1f" % timed(base, "/api/v1/board?on=2024-07-01", token, n=10))
    print("  township to-do list %.1f / %.1f" % timed(base, f"/api/v1/board/units/{town}?on=2024-07-01", token))
    print("  enterprise to-do    %.1f / %.1f" % timed(base, f"/api/v1/board/units/{ent['items'][0]['id']}?on=2024-07-01", token))

def photo_upload(base, token, data, n=10):
    import base64
    try:
        import PIL, piexif  # noqa: F401
    except ImportError:
        subprocess.check_call([sys.executable, "-m", "pip", "install", "-q", "pillow", "piexif"])
    root = os.path.dirname(os.path.abspath(__file__))
    path = os.path.join(data, "bench-photo-5mb.jpg")
    if not os.path.exists(path):
        subprocess.check_call([sys.executable, os.path.join(root, "make-site-photo.py"), path, "--size-mb", "5"], stdout=subprocess.DEVNULL)
    jpeg = open(path, "rb").read()
    _, page = call(base, "GET", "/api/v1/enterprises?limit=1", token=token)
    org = page["items"][0]["id"]
    today = time.strftime("%Y-%m-%d")
    times = []
    for i in range(n):
        # Bytes after the JPEG end marker change the SHA-256, not the picture: a new object each time.
        photo = base64.b64encode(jpeg + f"bench {time.time_ns()} {i}".encode()).decode()
        body = {"organisation_id": org, "description": "基准测试：现场照片上传", "location": "一号车间", "grade": "general",
                "category": "thing", "origin": "self_check", "direction": "reported_up", "found_on": today,
                "deadline": today, "photos_base64": [photo]}
        t = time.perf_counter()
        s, out = call(base, "POST", "/api/v1/hazards", body, token=token)
        times.append((time.perf_counter() - t) * 1000)
        if s != 201 and s != 200:
            raise SystemExit(f"photo upload failed: {s} {out}")
    print(f"photo upload ({len(jpeg) / 1e6:.1f} MB JPEG, 4000 x 3000, stored + hashed + EXIF + thumbnail): "
          f"median {statistics.median(times):.0f} ms, max {max(times):.0f} ms over {n}")

def hazards(base, token):
    """The hazard overview (by place from the per-unit summaries, ADR 0009; by origin from the
    hazards themselves) and a township's lists."""
    _, overview = call(base, "GET", "/api/v1/hazards/overview", token=token)
    print(f"hazards ({overview['total']['total']} in the city; median / p95 ms):")
    print("  city overview       %.1f / %.1f" % timed(base, "/api/v1/hazards/overview", token))
    print("  by industry         %.1f / %.1f" % timed(base, "/api/v1/hazards/overview?by=industry", token))
    print("  by origin (live)    %.1f / %.1f" % timed(base, "/api/v1/hazards/overview?by=origin", token))
    print("  township list       %.1f / %.1f" % timed(base, "/api/v1/hazards?township=370983100", token))
    print("  township overdue    %.1f / %.1f" % timed(base, "/api/v1/hazards?township=370983100&overdue=1", token))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("data"); ap.add_argument("--database-url"); ap.add_argument("--import-rows", type=int, default=100_000)
    ap.add_argument("--campaigns-only", action="store_true", help="only the campaign board figures (issue 5)")
    ap.add_argument("--only", choices=["photos", "hazards"])
    a = ap.parse_args()
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    target = os.environ.get("CARGO_TARGET_DIR", os.path.join(root, "target"))
    binary = os.path.join(target, "release", "anze")
    port = free_port(); base = f"http://127.0.0.1:{port}"
    env = dict(os.environ)
    if a.database_url:
        env["DATABASE_URL"] = a.database_url
    server = subprocess.Popen([binary, "--data", a.data, "serve", "--addr", f"127.0.0.1:{port}"], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(base + "/readyz", timeout=1); break
            except Exception:
                time.sleep(0.2)
        accounts = {l.split()[2]: l.split()[3] for l in open(os.path.join(a.data, "demo-accounts.txt")) if " demo." in l}
        _, tok = call(base, "POST", "/api/v1/auth/token", {"username": "demo.admin", "password": accounts["demo.admin"]})
        token = tok["token"]
        if a.only == "photos":
            photo_upload(base, token, a.data)
            return
        if a.only == "hazards":
            hazards(base, token)
            return
        time.sleep(2)
        campaigns(base, token, root)
        if a.campaigns_only:
            return
        print(f"idle server RSS: {rss_mb(server.pid):.1f} MB")
        print("enterprise list (median / p95 ms):")
        print("  first page          %.1f / %.1f" % timed(base, "/api/v1/enterprises?limit=50", token))
        path, after = "/api/v1/enterprises?limit=50", None
        for _ in range(200):
            _, page = call(base, "GET", path + (f"&after={after}" if after else ""), token=token)
            after = page["next"]
        print("  page 201            %.1f / %.1f" % timed(base, f"{path}&after={after}", token))
        print("  township first page %.1f / %.1f" % timed(base, "/api/v1/enterprises?limit=50&region=370983100", token))
        print("  industry+risk page  %.1f / %.1f" % timed(base, "/api/v1/enterprises?limit=50&industry=26&risk=red", token))
        print("coverage (median / p95 ms):")
        print("  city by township    %.1f / %.1f" % timed(base, "/api/v1/coverage", token))
        print("  city by industry    %.1f / %.1f" % timed(base, "/api/v1/coverage?by=industry", token))
        print("  township drill-down %.1f / %.1f" % timed(base, "/api/v1/coverage/enterprises?township=370983100", token))
        hazards(base, token)
        phone(base, token, server.pid)
        # 100 simultaneous sign-ins.
        results, peak = [], [0.0]
        def sign_in():
            try:
                s, _ = call(base, "POST", "/api/v1/auth/token", {"username": "demo.admin", "password": accounts["demo.admin"]}); results.append(s)
            except Exception as e:
                results.append(str(e))
        def sample():
            while len(results) < 100:
                peak[0] = max(peak[0], rss_mb(server.pid)); time.sleep(0.01)
        threads = [threading.Thread(target=sign_in) for _ in range(100)]
        sampler = threading.Thread(target=sample); sampler.start()
        t = time.perf_counter()
        for th in threads: th.start()
        for th in threads: th.join()
        sampler.join()
        ok = sum(1 for r in results if r == 200)
        print(f"100 simultaneous sign-ins: {ok} succeeded in {time.perf_counter() - t:.1f} s; peak RSS {peak[0]:.1f} MB")
        if a.import_rows:
            try:
                import openpyxl
            except ImportError:
                subprocess.check_call([sys.executable, "-m", "pip", "install", "-q", "openpyxl"]); import openpyxl
            _, page = call(base, "GET", "/api/v1/enterprises?limit=200", token=token)
            codes = [e["enterprise"]["credit_code"] for e in page["items"]]
            wb = openpyxl.Workbook(write_only=True); ws = wb.create_sheet("从业人员")
            ws.append(["统一社会信用代码", "姓名", "身份证号", "手机号", "岗位名称", "岗位层级", "部门或车间", "任职日期", "离任日期"])
            for i in range(a.import_rows):
                ws.append([codes[i % len(codes)], f"导入员工{i}", "", f"139{i:08d}", "操作工", "一般从业人员", "一车间", "2024-03-01", ""])
            path = os.path.join(a.data, "bench-staff.xlsx"); wb.save(path)
            raw = open(path, "rb").read()
            t = time.perf_counter()
            s, out = call(base, "POST", "/api/v1/imports/staff", token=token, raw=raw, ctype="application/octet-stream")
            print(f"import of {a.import_rows} staff rows (.xlsx, {len(raw) / 1e6:.1f} MB): {time.perf_counter() - t:.1f} s -> {out}")
        photo_upload(base, token, a.data)
    finally:
        server.terminate(); server.wait()

if __name__ == "__main__":
    main()
