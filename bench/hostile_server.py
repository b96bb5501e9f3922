"""Hostile servers for bench/hostile.sh, one scenario per process (Python standard library only).

Usage: hostile_server.py SCENARIO HOST PORT LOGFILE

Scenarios (the same shapes as tests/hostile/):
  trap           a 年报 column whose `?page=N` pager never ends (last-page link: page 1,000,000,000),
                 with calendar folders twelve months wide and ever-deeper folders; 15 real
                 reports on pages 1-3 (the Jiangyang 2023 report of tests/fixtures/pages/trs_detail.html,
                 made distinct per number)
  robots-302     robots.txt 302 -> /seo/robots.txt 301 -> /seo/real-robots.txt (Disallow: /private/)
  robots-500     robots.txt answers 500
  crawl-delay    robots.txt says Crawl-delay: 86400
Every request's path is appended to LOGFILE, one per line.
"""
import http.server
import os
import socketserver
import sys

SCENARIO, HOST, PORT, LOG = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
HERE = os.path.dirname(os.path.abspath(__file__))
with open(os.path.join(HERE, "..", "tests", "fixtures", "pages", "trs_detail.html"), encoding="utf-8") as f:
    REPORT = f.read()


def title(k):
    return f"泸州市江阳{k}区人民政府办公室2023年政府信息公开工作年度报告"


def column(items):
    return ("<html><head><title>政府信息公开年报</title></head><body><h1>政府信息公开年报</h1><ul>"
            + items + "</ul></body></html>")


def report_link(k):
    return f'<li><a href="/zfxxgknb/202401/t20240126_{k}.html">{title(k)}</a></li>'


def route(path):
    if path.startswith("/zfxxgknb/202401/t20240126_") and path.endswith(".html"):
        k = path[len("/zfxxgknb/202401/t20240126_"):-5]
        return 200, {}, REPORT.replace("江阳区", f"江阳{k}区")
    if SCENARIO == "trap":
        if path == "/robots.txt":
            return 404, {}, ""
        if path.startswith("/zfxxgknb/list?page="):
            n = int(path.split("=")[1])
            items = "".join(report_link(k) for k in range((n - 1) * 5, n * 5)) if 1 <= n <= 3 else ""
            items += ('<li><a href="/zfxxgknb/rl/2024/">2024年</a></li><li><a href="/zfxxgknb/more/">更多</a></li>'
                      f'</ul><div>共1000000000页 <a href="list?page={n + 1}">下一页</a> '
                      '<a href="list?page=1000000000">末页</a></div><ul>')
            return 200, {}, column(items)
        if path.startswith("/zfxxgknb/rl/") and path.endswith("/"):
            return 200, {}, column("".join(f'<li><a href="{path}{m:02}/">{m}月</a></li>' for m in range(1, 13)))
        if path.startswith("/zfxxgknb/more/") and path.endswith("/"):
            return 200, {}, column(f'<li><a href="{path}more/">更多</a></li>')
        return 404, {}, ""
    if path == "/robots.txt":
        if SCENARIO == "robots-302":
            return 302, {"Location": "/seo/robots.txt"}, ""
        if SCENARIO == "robots-500":
            return 500, {}, ""
        if SCENARIO == "crawl-delay":
            return 200, {"Content-Type": "text/plain"}, "User-agent: *\nCrawl-delay: 86400\n"
    if path == "/seo/robots.txt":
        return 301, {"Location": "/seo/real-robots.txt"}, ""
    if path == "/seo/real-robots.txt":
        return 200, {"Content-Type": "text/plain"}, "User-agent: *\nDisallow: /private/\n"
    if path == "/zfxxgknb/index.html":
        return 200, {}, column("".join(report_link(k) for k in range(3)))
    return 404, {}, ""


class Handler(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        with open(LOG, "a") as log:
            log.write(self.path + "\n")
        status, headers, body = route(self.path)
        data = body.encode("utf-8")
        self.send_response(status)
        headers.setdefault("Content-Type", "text/html; charset=utf-8")
        for k, v in headers.items():
            self.send_header(k, v)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args):
        pass


class Server(socketserver.ThreadingMixIn, http.server.HTTPServer):
    daemon_threads = True
    allow_reuse_address = True


Server((HOST, PORT), Handler).serve_forever()
