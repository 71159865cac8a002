#!/usr/bin/env bash
# Lighthouse 12 (the last major that runs on Node 20) against the filing form, a tracking page and
# /docs of a fresh embedded runtime; prints the accessibility, best-practices and SEO scores of each
# page (the performance category is left out: Debian's Chromium 156 fails its trace, NO_NAVSTART).
# Usage: scripts/lighthouse.sh [PORT]   (CHROME_PATH defaults to /usr/bin/chromium)
set -euo pipefail
cd "$(dirname "$0")/.."
PORT="${1:-3100}"
BASE="http://127.0.0.1:$PORT"
DATA="$(mktemp -d)"
OUT="$DATA/reports"
mkdir -p "$OUT"
export CHROME_PATH="${CHROME_PATH:-/usr/bin/chromium}"

node --import tsx shared/embedded/main.ts --port "$PORT" --data-dir "$DATA/data" >"$DATA/zhuqi.log" 2>&1 &
ZHUQI=$!
trap 'kill "$ZHUQI" 2>/dev/null; wait "$ZHUQI" 2>/dev/null; rm -rf "$DATA"' EXIT
for _ in $(seq 1 100); do curl -fs "$BASE/healthz" >/dev/null 2>&1 && break; sleep 0.3; done

TRACK="$(curl -fs -X POST "$BASE/api/v1/cases" -H 'Content-Type: application/json' -d '{
  "enterprise": {"name": "鄢陵县鼎恒纺织有限公司", "creditCode": "91350100M000100Y43", "township": "anling"},
  "contact": {"name": "王丽", "mobile": "13812345678"},
  "category": "utilities", "title": "新厂房用电增容迟迟未批",
  "description": "新厂房年初建成，用电增容申请已提交两个月，至今没有答复，影响投产。"}' |
  node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>console.log(JSON.parse(s).trackingUrl))')"

for lang in zh-CN en; do for url in "$BASE/" "$TRACK" "$BASE/docs"; do
  npx -y lighthouse@12.2.3 "$url" --quiet --output=json --output-path="$OUT/report.json" \
    --extra-headers="{\"Accept-Language\":\"$lang\"}" \
    --only-categories=accessibility,best-practices,seo --chrome-flags="--headless=new --no-sandbox" >/dev/null
  node -e '
    const r = require(process.argv[1]);
    const c = r.categories;
    const score = (k) => String(Math.round(c[k].score * 100)).padStart(3);
    const failed = Object.values(r.audits).filter((a) => a.score !== null && a.score < 1 && a.scoreDisplayMode === "binary").map((a) => a.id);
    console.log(`${process.argv[3].padEnd(5)} accessibility ${score("accessibility")}  best practices ${score("best-practices")}  SEO ${score("seo")}  ${process.argv[2].replace(/k=[^&]+/, "k=…")}${failed.length ? "  failing: " + failed.join(", ") : ""}`);
  ' "$OUT/report.json" "$url" "$lang"
done; done
