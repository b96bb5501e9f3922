"""Scrapy spider for `bench/crawl.sh engine`: the same crawl of the synthetic portal as nianbao.

Run (crawl.sh does this):

    scrapy runspider bench/scrapy/nianbao_bench_spider.py \
        -a seeds=SEEDS.txt -a db=OUT.sqlite -s CONCURRENT_REQUESTS=64 \
        -s CONCURRENT_REQUESTS_PER_DOMAIN=2

It follows the links nianbao follows on this portal (src/discover/), written out for Scrapy:

* listing pages: `<a>` whose title (the `title` attribute when at least as long as the text)
  is a 政府信息公开(工作)年度报告 with a year, or a text cut short with "…" that could be one
  -> detail page; a 年报 column title
  ("政府信息公开年报") -> listing; a pager word ("下一页", "3", "尾页") into the same folder ->
  listing; links home / to the site map are skipped;
* TRS pagers written by JavaScript: `countPage = N` with `"index_"+k+".html"` -> index_1 ..
  index_{N-1};
* `?page=N` pagers: with "共N页" printed, pages 1..N of the same path;
* Hanweb columns: the rows inside `<record><![CDATA[...]]>` (not parsed as HTML by lxml, so read
  with a regex as nianbao does) and, from `jpage({totalRecord, perPage})` and `param_<id>`, one
  POST to dataproxy.jsp per group of 3 pages beyond the inline records, Referer = column page;
* detail pages: stored; links to report files (.pdf .doc .docx .wps .xls ...) on them are
  fetched and stored too (the portal has none, so none are fetched);
* every 2xx response reaching a callback is stored by `SqlitePipeline` (url, status, fetch time,
  headers, raw body) in one SQLite file, like nianbao's archive of every page.

Robots.txt is obeyed, there is no delay, no AutoThrottle, no HTTP cache, retries as nianbao's
(4 retries of timeouts, resets and the same statuses: 408, 429, 5xx gateway errors). Settings not given on the command line are in
`custom_settings` below.
"""

import re
import unicodedata
import sqlite3
import time
from urllib.parse import urlencode, urljoin, urlsplit, urlunsplit

import scrapy

# --- Title and URL rules (a Python rendering of src/discover/filter.rs and links.rs) ---------

REPORT = re.compile(r"政府信息公开.{0,6}?(?:工作)?(?:年度报告|年报)")
YEAR = re.compile(r"(?:19|20)\d{2}")
COLUMN = re.compile(
    r"^(?:政府|政务)?(?:信息)?(?:公开)?(?:工作)?(?:年度报告|年报)(?:汇总|专栏|栏目|目录|查询)?$"
)
YEAR_FOLDER = re.compile(r"^(?:19|20)\d{2}(?:年度?|年度?年报|年度报告|n|nb|年报)?$")
EXCLUDED = (
    "通知", "要点", "解读", "图解", "方案", "格式", "半年", "季度", "考核", "评估",
    "工作情况的通报", "一图", "图说", "图读", "样表", "模板", "范本", "答记者问",
)
DETAIL_NAME = re.compile(
    r"(?i)(?:^t\d{8}_\d+|^art_\d+_\d+|^post_\d+|^mpost_\d+|^content_\d+|^[0-9a-f]{32}|^\d{4,}"
    r"|^c\d+_\d+)(?:_\d+)?\.s?html?$"
)
PAGER_WORD = re.compile(
    r"^(?:下一页|下页|下一頁|尾页|末页|最后一页|上一页|上页|首页|第\d+页|\d{1,4}|>|>>|»|›)$"
)
DOC_EXT = (".pdf", ".doc", ".docx", ".wps", ".xls", ".xlsx", ".et", ".ofd")
UNWANTED_TEXT = ("登录", "注册", "搜索", "无障碍", "长者模式", "关怀版", "English", "网站地图", "繁體")

# --- Pager and Hanweb patterns (src/discover/trs.rs, pager.rs, hanweb.rs) --------------------

TRS_COUNT = re.compile(r"\b(?:countPage|contenpage|logicTotalPage)\s*=\s*[\"']?(\d{1,5})")
TRS_CONCAT = re.compile(r"[\"']([\w.-]+)_\\?[\"']\s*\+\s*[\w()+\- ]+\+\s*[\"']\.(s?html?)\b")
TOTAL_PAGES = re.compile(r"共\s*(\d{1,4})\s*页")
RECORD = re.compile(r"(?s)<record[^>]*>\s*<!\[CDATA\[(.*?)\]\]>\s*</record>")
JPAGE = re.compile(r"(?s)\$\(\s*['\"]#([\w-]+)['\"]\s*\)\s*\.jpage\(\s*\{(.*?)\}\s*\)")
PAIR = re.compile(r"['\"]?(\w+)['\"]?\s*:\s*(?:'([^']*)'|\"([^\"]*)\"|([^,}\s'\"]+))")
HANWEB_PROXY = "/module/web/jpage/dataproxy.jsp"
MAX_PAGES = 1000


def compact(title):
    """The title as compared: full-width ASCII folded, whitespace removed."""
    return "".join(c for c in unicodedata.normalize("NFKC", title) if not c.isspace())


def is_report_title(title):
    t = compact(title)
    return bool(REPORT.search(t)) and not any(w in t for w in EXCLUDED) and bool(YEAR.search(t))


def looks_truncated_report(title):
    """A link text cut short ("某局2023年政府信息公开工作年度…") that could be a report."""
    t = compact(title)
    return (
        t.endswith(("…", "...", ".."))
        and not t.startswith(("关于", "印发", "转发"))
        and bool(YEAR.search(t))
        and any(w in t for w in ("政府信息", "信息公开", "年度报", "年报"))
        and not any(w in t for w in EXCLUDED)
    )


def is_column_title(title):
    t = compact(title)
    if not t or len(t) > 24 or any(w in t for w in EXCLUDED):
        return False
    return bool(COLUMN.match(t) or YEAR_FOLDER.match(t))


def is_detail_url(url):
    path = urlsplit(url).path
    return bool(DETAIL_NAME.match(path.rsplit("/", 1)[-1])) or "/art/" in path


def is_document(url):
    return urlsplit(url).path.lower().endswith(DOC_EXT)


def dir_of(path):
    return path[: path.rfind("/") + 1] if "/" in path else "/"


def without_fragment(url):
    s = urlsplit(url)
    return urlunsplit((s.scheme, s.netloc, s.path, s.query, ""))


def pairs(js_object):
    """`key: value` pairs of a JavaScript object literal body."""
    out = []
    for m in PAIR.finditer(js_object):
        value = next((g for g in m.groups()[1:] if g is not None), "")
        out.append((m.group(1), value))
    return out


class Anchor:
    """One `<a href>`: absolute URL, best title, link text."""

    __slots__ = ("url", "title", "text")

    def __init__(self, url, title_attr, text):
        self.url = url
        self.text = " ".join(text.split())
        attr = " ".join((title_attr or "").split())
        if attr and (not self.text or len(compact(attr)) >= len(compact(self.text))):
            self.title = attr
        else:
            self.title = self.text


def anchors(selector, base):
    out = []
    for a in selector.css("a[href]"):
        href = a.attrib.get("href", "").strip().replace("&amp;", "&")
        low = href.lower()
        if not href or href.startswith("#") or low.startswith(
            ("javascript:", "mailto:", "tel:", "data:", "about:")
        ):
            continue
        url = without_fragment(urljoin(base, href))
        if not url.startswith(("http://", "https://")):
            continue
        out.append(Anchor(url, a.attrib.get("title"), "".join(a.css("::text").getall())))
    return out


def is_unwanted(a):
    s = urlsplit(a.url)
    path = s.path.lower()
    root = path in ("/", "/index.html", "/index.shtml", "/index.htm") and not s.query
    bad_path = any(
        p in path
        for p in ("login", "register", "logout", "/search", "was5", "was40", "jsearch", "sso/")
    )
    return root or bad_path or any(w in a.text for w in UNWANTED_TEXT)


def is_pager(a, page):
    if not PAGER_WORD.match(compact(a.text)) or is_detail_url(a.url):
        return False
    u, p = urlsplit(a.url), urlsplit(page)
    return u.netloc == p.netloc and (u.path == p.path or dir_of(u.path) == dir_of(p.path))


# --- The spider ------------------------------------------------------------------------------


class SqlitePipeline:
    """Stores every page (url, status, fetch time, headers, raw body) in one SQLite file,
    committing every 500 pages and at the end."""

    def __init__(self, crawler):
        self.crawler = crawler
        self.pending = 0

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    def open_spider(self, spider=None):
        self.db = sqlite3.connect(self.crawler.spider.db)
        self.db.execute("PRAGMA journal_mode=WAL")
        self.db.execute(
            "CREATE TABLE IF NOT EXISTS pages (id INTEGER PRIMARY KEY, url TEXT NOT NULL, "
            "method TEXT NOT NULL, status INTEGER NOT NULL, fetched_at REAL NOT NULL, "
            "headers TEXT, body BLOB NOT NULL)"
        )

    def process_item(self, item, spider=None):
        self.db.execute(
            "INSERT INTO pages (url, method, status, fetched_at, headers, body) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            (item["url"], item["method"], item["status"], item["fetched_at"], item["headers"],
             item["body"]),
        )
        self.pending += 1
        if self.pending >= 500:
            self.db.commit()
            self.pending = 0
        return item

    def close_spider(self, spider=None):
        self.db.commit()
        self.db.close()


class NianbaoBenchSpider(scrapy.Spider):
    name = "nianbao_bench"
    custom_settings = {
        "ROBOTSTXT_OBEY": True,
        "DOWNLOAD_DELAY": 0,
        "RANDOMIZE_DOWNLOAD_DELAY": False,
        "AUTOTHROTTLE_ENABLED": False,
        "HTTPCACHE_ENABLED": False,
        "RETRY_ENABLED": True,
        "RETRY_TIMES": 4,
        "RETRY_HTTP_CODES": [408, 429, 500, 502, 503, 504, 520, 522, 523, 524],
        "DOWNLOAD_TIMEOUT": 120,
        "REDIRECT_MAX_TIMES": 5,
        "DOWNLOAD_MAXSIZE": 50 * 1024 * 1024,
        "USER_AGENT": "nianbao-bench-scrapy/" + scrapy.__version__
        + " (+https://github.com/nianbao/nianbao; annual-report archiver benchmark)",
        "LOG_LEVEL": "INFO",
        "TELNETCONSOLE_ENABLED": False,
        "ITEM_PIPELINES": {SqlitePipeline: 300},
    }

    def __init__(self, seeds, db, **kwargs):
        super().__init__(**kwargs)
        with open(seeds, encoding="utf-8") as f:
            self.seeds = [line.strip() for line in f if line.strip()]
        self.db = db

    async def start(self):
        for url in self.seeds:
            yield scrapy.Request(url, callback=self.parse_listing, priority=1)

    # Listings first (priority 1), as nianbao's frontier schedules them before documents.
    def listing(self, url, **kw):
        return scrapy.Request(url, callback=self.parse_listing, priority=1, **kw)

    def document(self, url):
        return scrapy.Request(url, callback=self.parse_document)

    def stored(self, response):
        return {
            "url": response.url,
            "method": response.request.method,
            "status": response.status,
            "fetched_at": time.time(),
            "headers": response.headers.to_string().decode("latin-1"),
            "body": response.body,
        }

    def parse_listing(self, response):
        yield self.stored(response)
        body = response.text
        page = response.url
        if body.lstrip().startswith("<?xml") and "<recordset" in body:
            yield from self.records(response, body)
            return
        found = []
        links = anchors(response, page)
        for a in links:
            if is_unwanted(a):
                continue
            if is_report_title(a.title):
                found.append(self.document(a.url))
            elif looks_truncated_report(a.title):
                found.append(self.document(a.url))
            elif is_document(a.url):
                continue
            elif is_pager(a, page):
                found.append(self.listing(a.url))
            elif is_column_title(a.title) and not is_detail_url(a.url):
                if "年报" in a.title or "年度报告" in a.title:
                    found.append(self.listing(a.url))
        found.extend(self.trs_pages(page, body))
        found.extend(self.query_pages(page, body, links))
        found.extend(self.records(response, body))
        found.extend(self.hanweb_groups(page, body))
        for r in found:
            if r.url != page or r.method == "POST":
                yield r

    def trs_pages(self, page, body):
        count, concat = TRS_COUNT.search(body), TRS_CONCAT.search(body)
        if not (count and concat):
            return
        stem, ext = concat.group(1), concat.group(2)
        for k in range(1, min(int(count.group(1)), MAX_PAGES)):
            yield self.listing(urljoin(page, f"{stem}_{k}.{ext}"))

    def query_pages(self, page, body, links):
        s = urlsplit(page)
        same_path = (urlsplit(a.url) for a in links)
        paged = any(u.path == s.path and u.query.startswith("page=") for u in same_path)
        total = TOTAL_PAGES.search(body)
        if not (paged and total):
            return
        for k in range(1, min(int(total.group(1)), MAX_PAGES) + 1):
            yield self.listing(urlunsplit((s.scheme, s.netloc, s.path, f"page={k}", "")))

    def records(self, response, body):
        rows = [m.group(1) for m in RECORD.finditer(body)]
        if not rows:
            return
        fragment = scrapy.Selector(text="\n".join(rows))
        for a in anchors(fragment, response.url):
            if is_report_title(a.title) or looks_truncated_report(a.title):
                yield self.document(a.url)

    def hanweb_groups(self, page, body):
        inline = len(RECORD.findall(body))
        for m in JPAGE.finditer(body):
            config = dict(pairs(m.group(2)))
            param = re.search(r"(?s)var\s+param_%s\s*=\s*\{(.*?)\}" % re.escape(m.group(1)), body)
            form = pairs(param.group(1)) if param else []
            total = int(config.get("totalRecord", 0) or 0)
            per = int(config.get("perPage", 15) or 15)
            step = per * 3
            for g in range(MAX_PAGES):
                start, end = g * step + 1, (g + 1) * step
                if start > total:
                    break
                if end <= inline:
                    continue
                query = f"startrecord={start}&endrecord={end}&perpage={per}"
                yield self.listing(
                    urljoin(page, HANWEB_PROXY) + "?" + query,
                    method="POST",
                    body=urlencode(form),
                    headers={
                        "Referer": page,
                        "Content-Type": "application/x-www-form-urlencoded",
                    },
                )

    def parse_document(self, response):
        yield self.stored(response)
        if not isinstance(response, scrapy.http.TextResponse):
            return
        for a in anchors(response, response.url):
            if is_document(a.url):
                yield self.document(a.url)
