/*
 * http.h - one small HTTP client on libcurl for API calls: the Devopness
 * API (devopness.c) and the providers' APIs (provider.c). Requests are
 * bounded by a timeout and a response-size cap, never follow redirects
 * with credentials, and report failures as text, never by exiting.
 * The network probe (net.c) is separate: it measures, this one talks.
 */
#ifndef HD_HTTP_H
#define HD_HTTP_H

#include <stdbool.h>
#include <stddef.h>

struct http_header {
	char *name;
	char *value;
};

struct http_request {
	const char *method;             /* "GET", "POST" */
	const char *url;
	const struct http_header *headers;  /* borrowed */
	size_t nheaders;
	const char *body;               /* NULL: none */
	size_t body_len;
	double timeout;                 /* seconds for the whole exchange */
	const char *cacert;             /* extra trust anchor, or NULL */
	size_t max_body;                /* cap on the response body (0: 4 MiB) */
};

struct http_response {
	long status;                    /* 0 when no HTTP answer; on a
					   transport failure after the status
					   line (a stalled body) it holds it */
	struct http_header *headers;    /* owned; names as received */
	size_t nheaders;
	char *body;                     /* owned, NUL-terminated */
	size_t body_len;
	bool truncated;                 /* the cap was reached */
	char *error;                    /* owned; NULL on an HTTP answer:
					   "timed out after 10 s", "connection
					   refused", ... */
	double seconds;                 /* total time */
};

/* A reusable client: one libcurl handle, so connections to one host are
 * reused across calls. */
struct http_client;
struct http_client *http_client_new(void);

/* Loads libcurl now, or exits 3 (libcurl_need()), for a caller that is
 * about to start threads that will make clients: a library dlopen()ed
 * while other threads run makes glibc keep a list it cannot free then
 * (valgrind calls it lost), so it is loaded before they start. */
void http_load(void);
void http_client_free(struct http_client *c);

/* Performs the request. Always fills *resp (free with http_response_free);
 * returns 0 on an HTTP answer of any status, -1 on a transport failure
 * (resp->error says which). */
int http_do(struct http_client *c, const struct http_request *req,
	    struct http_response *resp);
void http_response_free(struct http_response *resp);

/* An HTTP-date (RFC 9110 5.6.7) as seconds since the epoch, UTC: the
 * IMF-fixdate "Sun, 06 Nov 1994 08:49:37 GMT" and the obsolete RFC 850
 * "Sunday, 06-Nov-94 08:49:37 GMT" (a two-digit year more than 50 years
 * ahead of now_year is read as the past century's) and asctime
 * "Sun Nov  6 08:49:37 1994" forms. Names are matched without regard to
 * case; the weekday is not checked against the date. No locale, no
 * time zone: the conversion is done here. Returns false for anything
 * else (out-of-range fields, trailing text, a year outside 1..9999). */
bool http_date_parse(const char *s, int now_year, long long *epoch);

/* Seconds to wait for a Retry-After value (delta-seconds or an
 * HTTP-date) at time now: 0 for a date in the past, LONG_MAX-capped for
 * a huge delta; -1 when v is NULL, empty or neither form. */
long http_retry_after(const char *v, long long now);

/* First header of that name (case-insensitive), or NULL. */
const char *http_header_get(const struct http_response *resp,
			    const char *name);

#endif
