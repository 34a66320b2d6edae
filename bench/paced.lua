-- wrk: each connection waits 10 ms between requests, so 20 connections ask for about
-- 2,000 pages a second whatever the server's speed: latency then measures serving, not
-- a queue the load generator built (wrk alone always saturates).
function delay()
  return 10
end
