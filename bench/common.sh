# Helpers the bench scripts share; sourced, not run.

# port_open PORT: true when something listens on 127.0.0.1:PORT.
port_open() { (: <"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# field JSON KEY: the first number KEY has in a one-line JSON object (wrk's BENCH line).
field() { grep -o "\"$2\":[0-9.-]*" <<<"$1" | head -1 | cut -d: -f2; }

# failed_requests RESULT...: the non-2xx answers, socket errors and timeouts of wrk results, summed.
failed_requests() {
  local failures=0 result key
  for result in "$@"; do
    for key in non_2xx_3xx connect_errors read_errors write_errors timeouts; do
      failures=$((failures + $(field "$result" "$key")))
    done
  done
  echo "$failures"
}
