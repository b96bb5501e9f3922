#!/usr/bin/env python3
"""Write a report page with one huge statistics table (the adversarial tester's page).

    bench/huge_page.py OUT.html [ROWS] [COLS]

Defaults: 28,000 rows x 100 cells = 2.8 million cells, about 45 MB, under the crawler's 50 MB
body cap. The page is a plausible 年报 detail page (title, prose, then the table), so the
crawler takes it for a report and reads it. Used by bench/hostile.sh.
"""
import sys

out = sys.argv[1]
rows = int(sys.argv[2]) if len(sys.argv) > 2 else 28_000
cols = int(sys.argv[3]) if len(sys.argv) > 3 else 100
title = "某某市巨表局2024年政府信息公开工作年度报告"
with open(out, "w", encoding="utf-8") as f:
    f.write(f"<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>{title}</title></head><body>\n")
    f.write(f"<h1>{title}</h1>\n<div class=\"article\">\n")
    f.write("<p>一、总体情况</p><p>本年度共收到政府信息公开申请12件。</p>\n")
    f.write("<p>三、收到和处理政府信息公开申请情况</p>\n<table>\n")
    for r in range(rows):
        f.write("<tr>")
        f.write("".join(f"<td>{(r * cols + c) * 7919 % 9999991:07d}</td>" for c in range(cols)))
        f.write("</tr>\n")
    f.write("</table>\n<p>五、存在的主要问题及改进情况</p></div></body></html>\n")
