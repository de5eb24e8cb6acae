#!/usr/bin/env bash
# Walk Penneo's documented flows against the penneo-sim binary, using only curl + python3
# (a client that knows nothing but Penneo's public docs). Exits non-zero on any failure.
#
#   PENNEO_SIM_BIN=target/debug/penneo-sim scripts/sim-flows.sh
set -u -o pipefail

BIN="${PENNEO_SIM_BIN:-target/debug/penneo-sim}"
if [[ ! -x "$BIN" ]]; then
  echo "penneo-sim binary not found at $BIN (build it or set PENNEO_SIM_BIN)" >&2
  exit 2
fi
for tool in curl python3; do
  command -v "$tool" >/dev/null || { echo "$tool is required" >&2; exit 2; }
done

WORK="$(mktemp -d)"
SIM_PID=""
cleanup() {
  if [[ -n "$SIM_PID" ]] && kill -0 "$SIM_PID" 2>/dev/null; then
    kill "$SIM_PID" 2>/dev/null
    wait "$SIM_PID" 2>/dev/null
  fi
  rm -rf "$WORK"
}
trap cleanup EXIT INT TERM

PASSED=0
FAILED=0
ok() { PASSED=$((PASSED + 1)); echo "ok   - $1"; }
fail() { FAILED=$((FAILED + 1)); echo "FAIL - $1" >&2; }
check() { # check "description" command...
  local desc="$1"; shift
  if "$@"; then ok "$desc"; else fail "$desc"; fi
}
# jq-like field access: json_get FILE 'expr on v'
json_get() { python3 -S -c 'import json,sys; v=json.load(open(sys.argv[1])); print(eval(sys.argv[2]))' "$1" "$2"; }

PORT="$(python3 -S -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()')"
"$BIN" --listen "127.0.0.1:$PORT" --seed empty --job-delay-ms 300 --auto-approve >"$WORK/sim.out" 2>"$WORK/sim.err" &
SIM_PID=$!
BASE=""
for _ in $(seq 1 100); do
  if grep -q '^penneo-sim listening on ' "$WORK/sim.out" 2>/dev/null; then
    BASE="$(sed -n 's/^penneo-sim listening on //p' "$WORK/sim.out" | head -n1)"
    break
  fi
  kill -0 "$SIM_PID" 2>/dev/null || break
  sleep 0.1
done
if [[ -z "$BASE" ]]; then
  echo "penneo-sim did not start:" >&2; cat "$WORK/sim.err" >&2
  exit 1
fi
ok "simulator started at $BASE"
CLIENT_ID=demo-client
CLIENT_SECRET=demo-secret
REDIRECT="http://127.0.0.1:8765/callback"
C=(curl -sS --max-time 30)

# ---------------------------------------------------------------- OAuth: PKCE authorize
VERIFIER="$(python3 -S -c 'import secrets,base64; print(base64.urlsafe_b64encode(secrets.token_bytes(32)).rstrip(b"=").decode())')"
CHALLENGE="$(python3 -S -c 'import hashlib,base64,sys; print(base64.urlsafe_b64encode(hashlib.sha256(sys.argv[1].encode()).digest()).rstrip(b"=").decode())' "$VERIFIER")"
STATE="st-$RANDOM"
LOCATION="$("${C[@]}" -o /dev/null -w '%{redirect_url}' -G "$BASE/oauth/authorize" \
  --data-urlencode response_type=code --data-urlencode "client_id=$CLIENT_ID" \
  --data-urlencode "redirect_uri=$REDIRECT" --data-urlencode "code_challenge=$CHALLENGE" \
  --data-urlencode code_challenge_method=S256 --data-urlencode "state=$STATE")"
CODE="$(python3 -S -c 'import sys,urllib.parse as u; q=u.parse_qs(u.urlparse(sys.argv[1]).query); print(q.get("code",[""])[0])' "$LOCATION")"
GOT_STATE="$(python3 -S -c 'import sys,urllib.parse as u; q=u.parse_qs(u.urlparse(sys.argv[1]).query); print(q.get("state",[""])[0])' "$LOCATION")"
check "authorize redirects to the redirect_uri with a code" test -n "$CODE"
check "authorize echoes state" test "$GOT_STATE" = "$STATE"

# ---------------------------------------------------------------- token
python3 -S - "$CODE" "$VERIFIER" "$REDIRECT" >"$WORK/tok_req.json" <<'EOF'
import json, sys
print(json.dumps({"grant_type": "authorization_code", "client_id": "demo-client", "client_secret": "demo-secret",
                  "code": sys.argv[1], "code_verifier": sys.argv[2], "redirect_uri": sys.argv[3]}))
EOF
ST="$("${C[@]}" -o "$WORK/tok.json" -w '%{http_code}' -H 'Content-Type: application/json' --data @"$WORK/tok_req.json" "$BASE/oauth/token")"
check "token (authorization_code) → 200" test "$ST" = 200
ACCESS="$(json_get "$WORK/tok.json" 'v["access_token"]')"
REFRESH="$(json_get "$WORK/tok.json" 'v["refresh_token"]')"
check "token response has expires_in=600 and *_expires_at" test "$(json_get "$WORK/tok.json" 'v["expires_in"]==600 and v["access_token_expires_at"]>0 and v["refresh_token_expires_at"]>0')" = True
ST="$("${C[@]}" -o "$WORK/reuse.json" -w '%{http_code}' -H 'Content-Type: application/json' --data @"$WORK/tok_req.json" "$BASE/oauth/token")"
check "reusing the code → 400 invalid_grant" test "$ST:$(json_get "$WORK/reuse.json" 'v["error"]')" = "400:invalid_grant"

# After the replay the first tokens were revoked; log in again.
LOCATION="$("${C[@]}" -o /dev/null -w '%{redirect_url}' -G "$BASE/oauth/authorize" \
  --data-urlencode response_type=code --data-urlencode "client_id=$CLIENT_ID" \
  --data-urlencode "redirect_uri=$REDIRECT" --data-urlencode "code_challenge=$CHALLENGE" \
  --data-urlencode code_challenge_method=S256 --data-urlencode "state=$STATE")"
CODE="$(python3 -S -c 'import sys,urllib.parse as u; print(u.parse_qs(u.urlparse(sys.argv[1]).query)["code"][0])' "$LOCATION")"
python3 -S - "$CODE" "$VERIFIER" "$REDIRECT" >"$WORK/tok_req.json" <<'EOF'
import json, sys
print(json.dumps({"grant_type": "authorization_code", "client_id": "demo-client", "client_secret": "demo-secret",
                  "code": sys.argv[1], "code_verifier": sys.argv[2], "redirect_uri": sys.argv[3]}))
EOF
"${C[@]}" -o "$WORK/tok.json" -H 'Content-Type: application/json' --data @"$WORK/tok_req.json" "$BASE/oauth/token"
REFRESH="$(json_get "$WORK/tok.json" 'v["refresh_token"]')"

# ---------------------------------------------------------------- refresh (rotation)
refresh() {
  "${C[@]}" -o "$2" -w '%{http_code}' -H 'Content-Type: application/json' \
    --data "{\"grant_type\":\"refresh_token\",\"client_id\":\"$CLIENT_ID\",\"client_secret\":\"$CLIENT_SECRET\",\"refresh_token\":\"$1\"}" \
    "$BASE/oauth/token"
}
ST="$(refresh "$REFRESH" "$WORK/ref.json")"
check "refresh → 200" test "$ST" = 200
NEW_REFRESH="$(json_get "$WORK/ref.json" 'v["refresh_token"]')"
ACCESS="$(json_get "$WORK/ref.json" 'v["access_token"]')"
check "refresh rotates the refresh token" test "$NEW_REFRESH" != "$REFRESH"
ST="$(refresh "$REFRESH" "$WORK/ref_old.json")"
check "old refresh token is refused" test "$ST" = 400
AUTH=(-H "Authorization: Bearer $ACCESS")

# ---------------------------------------------------------------- Collect: form create/publish
cat >"$WORK/form.json" <<'EOF'
{"name": "Supplier Registration", "language": "EN", "description": "Flow test",
 "caseFileTitleTemplate": "{{formName}} - {{primarySigner.name}}",
 "sections": [
  {"slug": "contact", "title": "Contact person", "fields": [
    {"name": "contact_name", "label": "Name", "type": "TEXT", "required": true, "mapTo": "primarySigner.name"},
    {"name": "contact_email", "label": "E-mail", "type": "EMAIL", "required": true, "mapTo": "primarySigner.email"},
    {"name": "supplier_kind", "label": "Kind", "type": "CHOICE", "layout": "RADIO", "required": true,
     "options": [{"label": "Sole trader", "value": "sole"}, {"label": "Company", "value": "company"}]}]},
  {"slug": "references", "title": "References", "multipleEntries": {"max": 3}, "fields": [
    {"name": "reference_customer", "label": "Customer", "type": "TEXT", "required": true}]}]}
EOF
ST="$("${C[@]}" -o "$WORK/form_out.json" -w '%{http_code}' "${AUTH[@]}" -H 'Content-Type: application/json' --data @"$WORK/form.json" "$BASE/collect/api/v1/forms")"
check "create form → 201" test "$ST" = 201
FORM_ID="$(json_get "$WORK/form_out.json" 'v["formId"]')"
check "new form is DRAFT v1" test "$(json_get "$WORK/form_out.json" 'v["status"]+str(v["version"])')" = DRAFT1
ST="$("${C[@]}" -o "$WORK/pub.json" -w '%{http_code}' -X POST "${AUTH[@]}" "$BASE/collect/api/v1/forms/$FORM_ID/publish")"
check "publish form → 200 ACTIVE" test "$ST:$(json_get "$WORK/pub.json" 'v["status"]')" = "200:ACTIVE"
ST="$("${C[@]}" -o /dev/null -w '%{http_code}' "$BASE/collect/api/v1/forms/$FORM_ID")"
check "Collect without Bearer → 401" test "$ST" = 401

# ---------------------------------------------------------------- prefilled request
ST="$("${C[@]}" -o "$WORK/req.json" -w '%{http_code}' "${AUTH[@]}" -H 'Content-Type: application/json' \
  --data '{"answers":{"contact":[{"contact_name":{"value":"Ida Holm","editable":false},"contact_email":{"value":"ida@example.org","editable":true}}],"references":[{"reference_customer":{"value":"Acme A/S","editable":true}}]}}' \
  "$BASE/collect/api/v2/forms/$FORM_ID/requests")"
check "prefilled request → 200" test "$ST" = 200
REQ_ID="$(json_get "$WORK/req.json" 'v["requestId"]')"
REQ_URL="$(json_get "$WORK/req.json" 'v["requestUrl"]')"
"${C[@]}" -o "$WORK/fill.html" "$REQ_URL"
check "fill-in page shows the locked prefilled value" grep -q 'value="Ida Holm" readonly' "$WORK/fill.html"
ST="$("${C[@]}" -o /dev/null -w '%{http_code}' "${AUTH[@]}" "$BASE/collect/api/v1/forms/$FORM_ID/requests/$REQ_ID/answers")"
check "request answers → 404 before submission" test "$ST" = 404

# ---------------------------------------------------------------- submit via control API
ST="$("${C[@]}" -o "$WORK/sub.json" -w '%{http_code}' -H 'Content-Type: application/json' \
  --data '{"answers":{"contact":[{"supplier_kind":"company"}]}}' "$BASE/_sim/requests/$REQ_ID/submit")"
check "control submit → 200" test "$ST" = 200
SUB_ID="$(json_get "$WORK/sub.json" 'v["submissionId"]')"
SUB_CF="$(json_get "$WORK/sub.json" 'v["casefileId"]')"

# ---------------------------------------------------------------- submissions + answers
"${C[@]}" -o "$WORK/subs.json" "${AUTH[@]}" "$BASE/collect/api/v1/forms/$FORM_ID/submissions?limit=10&offset=0"
check "submission listed with its casefile" test "$(json_get "$WORK/subs.json" '[ (i["submissionId"], i["casefileId"]) for i in v["items"] ]==[("'"$SUB_ID"'", '"$SUB_CF"')]')" = True
"${C[@]}" -o "$WORK/ans.json" "${AUTH[@]}" "$BASE/collect/api/v1/forms/$FORM_ID/submissions/$SUB_ID/answers"
check "submission answers carry the prefilled name" test "$(json_get "$WORK/ans.json" 'v["sections"][0]["answers"][0]["value"]')" = "Ida Holm"
"${C[@]}" -o "$WORK/rans.json" "${AUTH[@]}" "$BASE/collect/api/v1/forms/$FORM_ID/requests/$REQ_ID/answers"
check "request answers equal submission answers" python3 -S -c 'import json,sys; sys.exit(json.load(open(sys.argv[1]))!=json.load(open(sys.argv[2])))' "$WORK/ans.json" "$WORK/rans.json"
"${C[@]}" -o "$WORK/files.json" "${AUTH[@]}" "$BASE/collect/api/v1/casefiles/$SUB_CF/files"
check "casefile files list a PDF with a size" test "$(json_get "$WORK/files.json" 'v[0]["filename"].endswith(".pdf") and v[0]["size"]>0')" = True

# ---------------------------------------------------------------- Send: multipart create
python3 -S - "$WORK/agreement.pdf" <<'EOF'
import sys
objs = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >>"]
out = bytearray(b"%PDF-1.4\n"); offs = []
for i, o in enumerate(objs):
    offs.append(len(out)); out += b"%d 0 obj\n" % (i + 1) + o + b"\nendobj\n"
x = len(out)
out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1)
for o in offs: out += b"%010d 00000 n \n" % o
out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objs) + 1, x)
open(sys.argv[1], "wb").write(out)
EOF
DATA='{"caseFile":{"title":"Framework agreement 2026","language":"da","reference":"CRM-4711","signers":[{"name":"Ida Holm","email":"ida@example.org","role":"customer","signOrder":0},{"name":"Mark Berg","email":"mark@example.org","role":"supplier","signOrder":1}],"documents":[{"title":"Framework agreement","name":"agreement.pdf","documentOrder":0}]}}'
printf '%s' "$DATA" >"$WORK/data.txt"
ST="$("${C[@]}" -o "$WORK/create.json" -w '%{http_code}' -H "X-Auth-Token: $ACCESS" \
  -F "data=<$WORK/data.txt" -F "files=@$WORK/agreement.pdf;type=application/pdf;filename=agreement.pdf" \
  "$BASE/send/api/v1/casefiles/20251022/create")"
check "multipart create → 2xx" test "${ST:0:1}" = 2
UUID="$(json_get "$WORK/create.json" 'v["jobs"][0]["uuid"]')"
HASH="$(json_get "$WORK/create.json" 'v["jobs"][0]["payloadHash"]')"
check "payloadHash is the SHA-256 hex of the data string" test "$HASH" = "$(python3 -S -c 'import hashlib,sys; print(hashlib.sha256(open(sys.argv[1],"rb").read()).hexdigest())' "$WORK/data.txt")"
ST="$("${C[@]}" -o "$WORK/jwt.json" -w '%{http_code}' -H "Authorization: Bearer $ACCESS" -F "data=<$WORK/data.txt" "$BASE/send/api/v1/casefiles/20251022/create")"
check "create with Bearer instead of X-Auth-Token → 400 Invalid JWT token" test "$ST:$(json_get "$WORK/jwt.json" 'v["message"].split(":")[0]')" = "400:Invalid JWT token"

# ---------------------------------------------------------------- job polling
STATUS=""
for _ in $(seq 1 15); do
  "${C[@]}" -o "$WORK/job.json" -H 'Content-Type: application/json' --data "{\"uuid\":\"$UUID\",\"payloadHash\":\"$HASH\"}" "$BASE/send/api/v1/queue/public/status"
  STATUS="$(json_get "$WORK/job.json" 'v["jobStatus"]')"
  [[ "$STATUS" == completed || "$STATUS" == failed ]] && break
  sleep 0.3
done
check "job completes" test "$STATUS" = completed
CF="$(json_get "$WORK/job.json" 'v["result"]["data"]["caseFile"]["id"]')"
check "job result has signing links" test "$(json_get "$WORK/job.json" 'len(v["result"]["data"]["signingLinks"])')" = 2
ST="$("${C[@]}" -o "$WORK/nf.json" -w '%{http_code}' -H 'Content-Type: application/json' --data "{\"uuid\":\"$UUID\",\"payloadHash\":\"0000\"}" "$BASE/send/api/v1/queue/public/status")"
check "job status with a wrong hash → 404 Job not found" test "$ST:$(json_get "$WORK/nf.json" 'v["message"]')" = "404:Job not found"

# ---------------------------------------------------------------- Sign: sign-all → 5
"${C[@]}" -o "$WORK/cf.json" "${AUTH[@]}" "$BASE/api/v1/casefiles/$CF"
check "new casefile is pending (1)" test "$(json_get "$WORK/cf.json" 'v["status"]')" = 1
check "signer e-mail is in its signing request" test "$(json_get "$WORK/cf.json" 'v["signers"][0]["signingRequest"]["email"]')" = ida@example.org
check "role and sign order are on the signature lines" test "$(json_get "$WORK/cf.json" '[(l["role"], l["signOrder"]) for l in v["documents"][0]["signatureLines"]]')" = "[('customer', 0), ('supplier', 1)]"
RID="$(json_get "$WORK/cf.json" 'v["signers"][0]["signingRequest"]["id"]')"
"${C[@]}" -o "$WORK/link.json" "${AUTH[@]}" "$BASE/api/v1/signingrequests/$RID/link"
check "signing link is its own call (a JSON array holding the link)" test "$(json_get "$WORK/link.json" 'v[0].split("/signing/")[0]')" = "$BASE"
ST="$("${C[@]}" -o /dev/null -w '%{http_code}' -X PATCH "${AUTH[@]}" "$BASE/api/v1/signingrequests/$RID/send")"
check "remind now (PATCH …/send) → 204" test "$ST" = 204
ST="$("${C[@]}" -o /dev/null -w '%{http_code}' -X POST "$BASE/_sim/casefiles/$CF/sign-all")"
check "sign-all → 200" test "$ST" = 200
CF_STATUS=""
for _ in $(seq 1 30); do
  "${C[@]}" -o "$WORK/cf.json" "${AUTH[@]}" "$BASE/api/v1/casefiles/$CF"
  CF_STATUS="$(json_get "$WORK/cf.json" 'v["status"]')"
  [[ "$CF_STATUS" == 5 ]] && break
  sleep 0.2
done
check "casefile reaches completed (5)" test "$CF_STATUS" = 5
DOC="$(json_get "$WORK/cf.json" 'v["documents"][0]["id"]')"
ST="$("${C[@]}" -o "$WORK/signed.pdf" -w '%{http_code}' "${AUTH[@]}" -H 'Accept: application/pdf' "$BASE/api/v3/documents/$DOC/content")"
check "signed document download → 200" test "$ST" = 200
check "signed document starts with %PDF-" test "$(head -c 5 "$WORK/signed.pdf")" = "%PDF-"
check "signed document differs from the original" python3 -S -c 'import sys; sys.exit(open(sys.argv[1],"rb").read()==open(sys.argv[2],"rb").read())' "$WORK/signed.pdf" "$WORK/agreement.pdf"
"${C[@]}" -o "$WORK/orig.pdf" "${AUTH[@]}" -H 'Accept: application/pdf' "$BASE/api/v3/documents/$DOC/content?signed=false"
check "?signed=false returns the original upload" cmp -s "$WORK/orig.pdf" "$WORK/agreement.pdf"
"${C[@]}" -o "$WORK/content.json" "${AUTH[@]}" -H 'Accept: application/json' "$BASE/api/v3/documents/$DOC/content"
check "Accept: application/json gives base64 of the same PDF" python3 -S -c 'import json,base64,sys; sys.exit(base64.b64decode(json.load(open(sys.argv[1]))["content"])!=open(sys.argv[2],"rb").read())' "$WORK/content.json" "$WORK/signed.pdf"
"${C[@]}" -D "$WORK/list.h" -o "$WORK/list.json" "${AUTH[@]}" -H 'x-paginate: true' "$BASE/api/v1/casefiles?status=5&per_page=1&page=1"
check "casefile list (status=5, x-paginate) sends a Link header" grep -qi '^link: .*rel="first"' "$WORK/list.h"

# ---------------------------------------------------------------- api_keys grant
python3 -S - >"$WORK/ak.json" <<'EOF'
import base64, hashlib, json, os, datetime
raw = os.urandom(20)
created = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.000Z")
digest = base64.b64encode(hashlib.sha1(raw + created.encode() + b"demo-api-secret").digest()).decode()
print(json.dumps({"grant_type": "api_keys", "client_id": "demo-client", "client_secret": "demo-secret",
                  "key": "demo-key", "nonce": base64.b64encode(raw).decode(), "created_at": created, "digest": digest}))
EOF
ST="$("${C[@]}" -o "$WORK/ak_out.json" -w '%{http_code}' -H 'Content-Type: application/json' --data @"$WORK/ak.json" "$BASE/oauth/token")"
check "api_keys grant → 200 without refresh token" test "$ST:$(json_get "$WORK/ak_out.json" '"refresh_token" in v')" = "200:False"
ST="$("${C[@]}" -o /dev/null -w '%{http_code}' -H 'Content-Type: application/json' --data @"$WORK/ak.json" "$BASE/oauth/token")"
check "api_keys nonce replay is refused" test "$ST" = 400
AK="$(json_get "$WORK/ak_out.json" 'v["access_token"]')"
ST="$("${C[@]}" -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $AK" "$BASE/api/v1/casefiles/$CF")"
check "api_keys token works on the Sign API" test "$ST" = 200

# ---------------------------------------------------------------- revoke
ST="$("${C[@]}" -o "$WORK/rev.out" -w '%{http_code}' -H 'Content-Type: application/json' \
  --data "{\"token\":\"$NEW_REFRESH\",\"client_id\":\"$CLIENT_ID\",\"client_secret\":\"$CLIENT_SECRET\"}" "$BASE/oauth/revoke")"
check "revoke → 200 with an empty body" test "$ST:$(wc -c <"$WORK/rev.out" | tr -d ' ')" = "200:0"
ST="$(refresh "$NEW_REFRESH" "$WORK/ref_rev.json")"
check "revoked refresh token is refused" test "$ST" = 400

echo "$PASSED passed, $FAILED failed"
[[ "$FAILED" -eq 0 ]]
