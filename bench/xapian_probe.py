# Xapian as a candidate search index (a measurement for docs/PERFORMANCE.md, not part of
# Roundtable): indexes subject and body of each message of a `roundtable export jsonl`,
# then times BM25 top-20 for bench/queries.txt (filters left out) on the same corpus.
# Usage: apt-get install python3-xapian;
#        build/roundtable export jsonl --db DB /tmp/x.jsonl
#        /usr/bin/python3 bench/xapian_probe.py /tmp/x.jsonl bench/queries.txt
import json, sys, time, xapian, shutil, statistics
src, queries_file, db_path = sys.argv[1], sys.argv[2], "/tmp/xap/db"
shutil.rmtree(db_path, ignore_errors=True)
db = xapian.WritableDatabase(db_path, xapian.DB_CREATE_OR_OVERWRITE)
tg = xapian.TermGenerator(); tg.set_stemmer(xapian.Stem("en")); tg.set_stemming_strategy(tg.STEM_SOME)
t0 = time.time(); n = 0
for line in open(src):
    m = json.loads(line)
    doc = xapian.Document(); tg.set_document(doc)
    tg.index_text(m.get("subject", ""), 4, "S"); tg.index_text(m.get("subject", ""), 4)
    tg.index_text(m.get("body_text", ""))
    db.add_document(doc); n += 1
db.commit(); print(f"indexed {n} in {time.time()-t0:.1f}s")
rdb = xapian.Database(db_path)
qp = xapian.QueryParser(); qp.set_stemmer(xapian.Stem("en")); qp.set_stemming_strategy(qp.STEM_SOME); qp.set_database(rdb)
qp.set_default_op(xapian.Query.OP_AND); qp.add_prefix("subject", "S")
qs = []
for l in open(queries_file):
    l = l.strip()
    if not l or l.startswith("#"): continue
    words = [w for w in l.split() if not any(w.startswith(p) for p in ("from:", "list:", "after:", "before:"))]
    if words: qs.append(" ".join(words))
times = []
for rnd in range(5):
    for q in qs:
        start = time.perf_counter()
        enq = xapian.Enquire(rdb); enq.set_query(qp.parse_query(q, qp.FLAG_PHRASE | qp.FLAG_BOOLEAN | qp.FLAG_LOVEHATE))
        ms = enq.get_mset(0, 20)
        hits = [d.docid for d in ms]
        times.append((time.perf_counter() - start) * 1000)
times.sort()
print(f"xapian: {len(qs)} queries x 5: p50 {times[len(times)//2]:.3f} ms, p95 {times[int(len(times)*0.95)]:.3f} ms, p99 {times[int(len(times)*0.99)]:.3f} ms")
