-- Rate limiting shared by every authref process on this database: a sliding
-- window log per bucket ("ip:<addr>", "acct:<email>"). rs_rate_limit_hit()
-- serialises callers of one bucket with a transaction-scoped advisory lock,
-- so the count is exact under any number of threads and processes.
CREATE TABLE rate_limit_hits (
    bucket text NOT NULL,
    hit_at timestamptz NOT NULL
);
CREATE INDEX rate_limit_hits_bucket_idx ON rate_limit_hits (bucket, hit_at);

-- Records one attempt in p_bucket unless p_limit attempts already fall inside
-- the last p_window_s seconds. Returns 0 when the attempt is allowed, else
-- the number of seconds after which the oldest attempt leaves the window.
CREATE FUNCTION rs_rate_limit_hit(p_bucket text, p_limit integer, p_window_s integer)
RETURNS integer
LANGUAGE plpgsql AS $$
DECLARE
    now_ts timestamptz := clock_timestamp();
    win    interval := make_interval(secs => p_window_s);
    n      integer;
    oldest timestamptz;
BEGIN
    PERFORM pg_advisory_xact_lock(hashtextextended(p_bucket, 0));
    DELETE FROM rate_limit_hits WHERE bucket = p_bucket AND hit_at <= now_ts - win;
    SELECT count(*), min(hit_at) INTO n, oldest FROM rate_limit_hits WHERE bucket = p_bucket;
    IF n >= p_limit THEN
        RETURN greatest(1, ceil(extract(epoch FROM (oldest + win - now_ts)))::integer);
    END IF;
    INSERT INTO rate_limit_hits (bucket, hit_at) VALUES (p_bucket, now_ts);
    -- Buckets that fall silent are swept now and then (windows are at most a day).
    IF random() < 0.01 THEN
        DELETE FROM rate_limit_hits WHERE hit_at < now_ts - interval '1 day';
    END IF;
    RETURN 0;
END
$$;
