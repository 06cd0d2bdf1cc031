-- Every request a POST of one form, as a client of a token or introspection endpoint sends it:
-- the body from the environment (WRK_FORM, already URL-encoded), the client's credentials given by
-- the caller as an Authorization header (wrk -H).
wrk.method = "POST"
wrk.body = os.getenv("WRK_FORM")
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
