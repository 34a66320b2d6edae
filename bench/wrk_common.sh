# Shared by the web benchmarks (sourced, not run).
#
# run_wrk ARGS...: one wrk run of ${secs} s at 256 connections (-t2), output kept in
#   $dir/wrk.out; prints "requests/s p50-ms p99-ms non-2xx".

run_wrk() {
  sleep 2  # the previous run's queued requests drain first
  wrk -t2 -c256 -d"${secs}s" --latency "$@" > "$dir/wrk.out" 2>&1
  python3 - "$dir/wrk.out" <<'PY'
import re, sys
text = open(sys.argv[1]).read()
def ms(label):
    m = re.search(rf"^\s*{label}%\s+([\d.]+)(us|ms|s)\s*$", text, re.M)
    v, unit = float(m.group(1)), m.group(2)
    return v / 1000 if unit == "us" else v * 1000 if unit == "s" else v
rps = float(re.search(r"Requests/sec:\s+([\d.]+)", text).group(1))
errors = re.search(r"Non-2xx or 3xx responses: (\d+)", text)
print(f"{rps:.0f} {ms(50):.2f} {ms(99):.2f} {errors.group(1) if errors else 0}")
PY
}
