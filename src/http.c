/*
 * http.c - the API-call HTTP client (http.h) on one libcurl easy handle.
 *
 * Bounded in time (CURLOPT_TIMEOUT_MS for the whole exchange) and in size
 * (the write callback stops the transfer at the cap), never follows a
 * redirect (a 3xx is returned as it is, Location included), and speaks
 * only http and https. libcurl's errors are translated here into one short
 * line. It must not print, exit, or know what the request is for: it never
 * logs headers, so a token in a request header goes nowhere but the wire.
 */
#include "http.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "libcurl.h"
#include "util.h"

#ifndef HD_VERSION
#define HD_VERSION "0"
#endif

#define HTTP_DEFAULT_MAX_BODY (4u << 20)
#define HTTP_MAX_HEADER_BYTES (256u << 10)
#define HTTP_DEFAULT_TIMEOUT 10.0

struct http_client {
	CURL *h;
};

/* What the callbacks fill during one transfer. */
struct xfer {
	struct sbuf body;
	size_t max_body;
	bool truncated;
	struct http_header *headers;
	size_t nheaders;
	size_t header_bytes;
	bool headers_overflow;
};

void http_load(void)
{
	libcurl_need();
}

struct http_client *http_client_new(void)
{
	struct http_client *c;

	libcurl_need();
	c = xcalloc(1, sizeof(*c));
	c->h = libcurl.easy_init();
	if (!c->h) {
		free(c);
		return NULL;
	}
	return c;
}

void http_client_free(struct http_client *c)
{
	if (!c)
		return;
	libcurl.easy_cleanup(c->h);
	free(c);
}

static void headers_clear(struct xfer *x)
{
	for (size_t i = 0; i < x->nheaders; i++) {
		free(x->headers[i].name);
		free(x->headers[i].value);
	}
	free(x->headers);
	x->headers = NULL;
	x->nheaders = 0;
}

static size_t on_body(char *data, size_t size, size_t nmemb, void *userp)
{
	struct xfer *x = userp;
	size_t n = size * nmemb;

	if (x->body.len + n > x->max_body) {
		/* Keep what fits, then stop: returning less than n makes
		 * libcurl abort with CURLE_WRITE_ERROR. */
		sbuf_addn(&x->body, data, x->max_body - x->body.len);
		x->truncated = true;
		return 0;
	}
	sbuf_addn(&x->body, data, n);
	return n;
}

static bool is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

static size_t on_header(char *data, size_t size, size_t nmemb, void *userp)
{
	struct xfer *x = userp;
	size_t n = size * nmemb, len = n;
	const char *colon;

	x->header_bytes += n;
	if (x->header_bytes > HTTP_MAX_HEADER_BYTES) {
		x->headers_overflow = true;
		return 0;
	}
	/* A new status line (after a 100 Continue, say) starts a new set. */
	if (n >= 5 && memcmp(data, "HTTP/", 5) == 0) {
		headers_clear(x);
		return n;
	}
	while (len && is_space(data[len - 1]))
		len--;
	colon = memchr(data, ':', len);
	if (!colon || colon == data)
		return n;
	{
		const char *v = colon + 1, *end = data + len;
		struct http_header *hh;

		while (v < end && is_space(*v))
			v++;
		x->headers = xrealloc(x->headers, (x->nheaders + 1) * sizeof(*x->headers));
		hh = &x->headers[x->nheaders++];
		hh->name = xstrndup(data, (size_t)(colon - data));
		hh->value = xstrndup(v, (size_t)(end - v));
	}
	return n;
}

/* One line for a transport failure: what happened, in the user's terms. */
static char *translate(CURLcode rc, const char *errbuf, double timeout,
		       const struct xfer *x, long os_errno)
{
	const char *detail = errbuf && *errbuf ? errbuf : libcurl.easy_strerror(rc);

	switch (rc) {
	case CURLE_OPERATION_TIMEDOUT:
		return xasprintf("timed out after %g s", timeout);
	case CURLE_COULDNT_RESOLVE_HOST:
		return xasprintf("cannot resolve the host (%s)", detail);
	case CURLE_COULDNT_RESOLVE_PROXY:
		return xasprintf("cannot resolve the proxy (%s)", detail);
	case CURLE_COULDNT_CONNECT:
		if (os_errno == ECONNREFUSED || strstr(detail, "refused"))
			return xstrdup("connection refused");
		return xasprintf("cannot connect (%s)", detail);
	case CURLE_GOT_NOTHING:
		return xstrdup("the server closed the connection without answering");
	case CURLE_RECV_ERROR:
		return xasprintf("connection broken while reading the answer (%s)", detail);
	case CURLE_SEND_ERROR:
		return xasprintf("connection broken while sending the request (%s)", detail);
	case CURLE_PEER_FAILED_VERIFICATION:
		return xasprintf("the server's certificate is not trusted (%s)", detail);
	case CURLE_SSL_CONNECT_ERROR:
		return xasprintf("TLS handshake failed (%s)", detail);
	case CURLE_SSL_CACERT_BADFILE:
		return xasprintf("cannot read the CA file (%s)", detail);
	case CURLE_UNSUPPORTED_PROTOCOL:
		return xstrdup("unsupported URL scheme (only http and https)");
	case CURLE_URL_MALFORMAT:
		return xasprintf("malformed URL (%s)", detail);
	case CURLE_WRITE_ERROR:
		if (x->headers_overflow)
			return xstrdup("the answer's headers are too large");
		return xasprintf("cannot store the answer (%s)", detail);
	case CURLE_FILESIZE_EXCEEDED:
		return xasprintf("the answer is larger than %zu bytes", x->max_body);
	case CURLE_WEIRD_SERVER_REPLY:
		return xasprintf("the answer is not HTTP (%s)", detail);
	default:
		return xasprintf("%s", detail);
	}
}

/* "Name: value", or "Name;" for an empty value (libcurl's way to send a
 * header with nothing after the colon). */
static struct curl_slist *add_header(struct curl_slist *l, const char *name,
				     const char *value)
{
	char *line = value && *value ? xasprintf("%s: %s", name, value)
				     : xasprintf("%s;", name);
	struct curl_slist *n = libcurl.slist_append(l, line);

	free(line);
	if (!n) {
		fputs("hookdoctor: out of memory\n", stderr);
		exit(3);
	}
	return n;
}

int http_do(struct http_client *c, const struct http_request *req,
	    struct http_response *resp)
{
	char errbuf[CURL_ERROR_SIZE];
	struct curl_slist *hdrs = NULL;
	struct xfer x;
	bool have_ua = false;
	double timeout = req->timeout > 0 ? req->timeout : HTTP_DEFAULT_TIMEOUT;
	/* At least 1 ms: libcurl reads 0 as no timeout at all. */
	long ms = timeout < 86400.0 ? (long)(timeout * 1000.0 + 0.5) : 86400000L;
	const char *method = req->method ? req->method : "GET";
	CURLcode rc;
	CURL *h;

	memset(resp, 0, sizeof(*resp));
	memset(&x, 0, sizeof(x));
	if (!c || !c->h) {
		resp->error = xstrdup("no HTTP client");
		return -1;
	}
	h = c->h;
	if (ms < 1)
		ms = 1;
	x.max_body = req->max_body ? req->max_body : HTTP_DEFAULT_MAX_BODY;
	errbuf[0] = '\0';

	/* Reset keeps the connection cache: the next call to the same host
	 * reuses the connection. */
	libcurl.easy_reset(h);
	libcurl.easy_setopt(h, CURLOPT_URL, req->url);
	libcurl.easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
	libcurl.easy_setopt(h, CURLOPT_ERRORBUFFER, errbuf);
	libcurl.easy_setopt(h, CURLOPT_FOLLOWLOCATION, 0L);
#if LIBCURL_VERSION_NUM >= 0x075500
	libcurl.easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
#else
	libcurl.easy_setopt(h, CURLOPT_PROTOCOLS, (long)(CURLPROTO_HTTP | CURLPROTO_HTTPS));
#endif
	libcurl.easy_setopt(h, CURLOPT_TIMEOUT_MS, ms);
	libcurl.easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS, ms);
	libcurl.easy_setopt(h, CURLOPT_MAXFILESIZE_LARGE, (curl_off_t)x.max_body);
	libcurl.easy_setopt(h, CURLOPT_WRITEFUNCTION, on_body);
	libcurl.easy_setopt(h, CURLOPT_WRITEDATA, &x);
	libcurl.easy_setopt(h, CURLOPT_HEADERFUNCTION, on_header);
	libcurl.easy_setopt(h, CURLOPT_HEADERDATA, &x);
	if (req->cacert)
		libcurl.easy_setopt(h, CURLOPT_CAINFO, req->cacert);

	if (strcmp(method, "GET") == 0) {
		libcurl.easy_setopt(h, CURLOPT_HTTPGET, 1L);
	} else if (strcmp(method, "HEAD") == 0) {
		libcurl.easy_setopt(h, CURLOPT_NOBODY, 1L);
	} else {
		if (strcmp(method, "POST") != 0)
			libcurl.easy_setopt(h, CURLOPT_CUSTOMREQUEST, method);
		libcurl.easy_setopt(h, CURLOPT_POST, 1L);
		libcurl.easy_setopt(h, CURLOPT_POSTFIELDSIZE_LARGE,
				 (curl_off_t)(req->body ? req->body_len : 0));
		libcurl.easy_setopt(h, CURLOPT_POSTFIELDS, req->body ? req->body : "");
		/* No "Expect: 100-continue" round trip for larger bodies
		 * ("Name:" with nothing after it removes a header). */
		hdrs = libcurl.slist_append(hdrs, "Expect:");
		if (!hdrs) {
			fputs("hookdoctor: out of memory\n", stderr);
			exit(3);
		}
	}
	for (size_t i = 0; i < req->nheaders; i++) {
		hdrs = add_header(hdrs, req->headers[i].name, req->headers[i].value);
		if (ascii_casecmp(req->headers[i].name, "User-Agent") == 0)
			have_ua = true;
	}
	if (!have_ua)
		libcurl.easy_setopt(h, CURLOPT_USERAGENT, "hookdoctor/" HD_VERSION);
	libcurl.easy_setopt(h, CURLOPT_HTTPHEADER, hdrs);

	rc = libcurl.easy_perform(h);

	libcurl.easy_getinfo(h, CURLINFO_RESPONSE_CODE, &resp->status);
	libcurl.easy_getinfo(h, CURLINFO_TOTAL_TIME, &resp->seconds);
	resp->headers = x.headers;
	resp->nheaders = x.nheaders;
	resp->truncated = x.truncated;
	resp->body_len = x.body.len;
	resp->body = sbuf_detach(&x.body);
	/* Do not keep pointers to this stack frame in the handle. */
	libcurl.easy_setopt(h, CURLOPT_HTTPHEADER, NULL);
	libcurl.easy_setopt(h, CURLOPT_ERRORBUFFER, NULL);
	libcurl.slist_free_all(hdrs);

	if (rc == CURLE_OK)
		return 0;
	if ((rc == CURLE_WRITE_ERROR || rc == CURLE_FILESIZE_EXCEEDED) &&
	    !x.headers_overflow && resp->status > 0) {
		/* The cap was reached: an answer, cut short. */
		resp->truncated = true;
		return 0;
	}
	{
		long os_errno = 0;

		libcurl.easy_getinfo(h, CURLINFO_OS_ERRNO, &os_errno);
		resp->error = translate(rc, errbuf, timeout, &x, os_errno);
	}
	return -1;
}

void http_response_free(struct http_response *resp)
{
	if (!resp)
		return;
	for (size_t i = 0; i < resp->nheaders; i++) {
		free(resp->headers[i].name);
		free(resp->headers[i].value);
	}
	free(resp->headers);
	free(resp->body);
	free(resp->error);
	memset(resp, 0, sizeof(*resp));
}

const char *http_header_get(const struct http_response *resp, const char *name)
{
	for (size_t i = 0; i < resp->nheaders; i++)
		if (ascii_casecmp(resp->headers[i].name, name) == 0)
			return resp->headers[i].value;
	return NULL;
}

/* ------------------------------------------------------------------ */
/* HTTP-date (RFC 9110 5.6.7), without strptime, timegm or the locale   */

static const char *const wdays[] = {"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"};
static const char *const wdays_long[] = {
	"Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday",
};
static const char *const months[] = {
	"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
};

static char lower(char c)
{
	return c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
}

static bool word_is(const char **p, const char *w)
{
	size_t n = strlen(w);

	for (size_t i = 0; i < n; i++)
		if (!(*p)[i] || lower((*p)[i]) != lower(w[i]))
			return false;
	*p += n;
	return true;
}

/* One of names (n of them) at *p; its index, or -1. */
static int name_at(const char **p, const char *const *names, int n)
{
	for (int i = 0; i < n; i++)
		if (word_is(p, names[i]))
			return i;
	return -1;
}

/* Exactly n digits at *p (n == 0: one or two, for asctime's day). */
static bool digits(const char **p, int n, int *out)
{
	int v = 0, k = 0;

	while ((n ? k < n : k < 2) && **p >= '0' && **p <= '9') {
		v = v * 10 + (**p - '0');
		(*p)++;
		k++;
	}
	*out = v;
	return n ? k == n : k > 0;
}

static bool lit(const char **p, char c)
{
	if (**p != c)
		return false;
	(*p)++;
	return true;
}

/* "HH:MM:SS" */
static bool time_of_day(const char **p, int *h, int *m, int *sec)
{
	return digits(p, 2, h) && lit(p, ':') && digits(p, 2, m) && lit(p, ':') &&
	       digits(p, 2, sec) && *h <= 23 && *m <= 59 && *sec <= 60;
}

static bool leap(long y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

/* Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's
 * days_from_civil); m is 1..12. */
static long long days_from_civil(long long y, int m, int d)
{
	long long era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

bool http_date_parse(const char *s, int now_year, long long *epoch)
{
	static const int mdays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	const char *p = s;
	int day, mon, year, h, m, sec;

	if (!s)
		return false;
	while (*p == ' ' || *p == '\t')
		p++;
	if (name_at(&p, wdays_long, 7) >= 0) {
		/* RFC 850: "Sunday, 06-Nov-94 08:49:37 GMT" */
		if (!lit(&p, ',') || !lit(&p, ' ') || !digits(&p, 2, &day) || !lit(&p, '-') ||
		    (mon = name_at(&p, months, 12)) < 0 || !lit(&p, '-') ||
		    !digits(&p, 2, &year) || !lit(&p, ' ') || !time_of_day(&p, &h, &m, &sec) ||
		    !lit(&p, ' ') || !word_is(&p, "GMT"))
			return false;
		/* The century whose year is not more than 50 years ahead. */
		year += (now_year / 100) * 100;
		if (year > now_year + 50)
			year -= 100;
	} else if (name_at(&p, wdays, 7) >= 0) {
		if (lit(&p, ',')) {
			/* IMF-fixdate: "Sun, 06 Nov 1994 08:49:37 GMT" */
			if (!lit(&p, ' ') || !digits(&p, 2, &day) || !lit(&p, ' ') ||
			    (mon = name_at(&p, months, 12)) < 0 || !lit(&p, ' ') ||
			    !digits(&p, 4, &year) || !lit(&p, ' ') ||
			    !time_of_day(&p, &h, &m, &sec) || !lit(&p, ' ') ||
			    !word_is(&p, "GMT"))
				return false;
		} else {
			/* asctime: "Sun Nov  6 08:49:37 1994" (day as 2DIGIT or
			 * SP 1DIGIT) */
			if (!lit(&p, ' ') || (mon = name_at(&p, months, 12)) < 0 ||
			    !lit(&p, ' '))
				return false;
			if (*p == ' ') {
				p++;
				if (!digits(&p, 1, &day))
					return false;
			} else if (!digits(&p, 2, &day)) {
				return false;
			}
			if (!lit(&p, ' ') || !time_of_day(&p, &h, &m, &sec) || !lit(&p, ' ') ||
			    !digits(&p, 4, &year))
				return false;
		}
	} else {
		return false;
	}
	while (*p == ' ' || *p == '\t')
		p++;
	if (*p || year < 1 || day < 1 ||
	    day > mdays[mon] + (mon == 1 && leap(year)))
		return false;
	if (sec == 60)
		sec = 59;       /* a leap second: as good as the one before */
	*epoch = days_from_civil(year, mon + 1, day) * 86400LL + h * 3600LL + m * 60LL + sec;
	return true;
}

long http_retry_after(const char *v, long long now)
{
	const char *p = v;
	long long when;
	time_t t = (time_t)now;
	struct tm tm;

	if (!v)
		return -1;
	while (*p == ' ' || *p == '\t')
		p++;
	if (*p >= '0' && *p <= '9') {
		long long n = 0;

		for (; *p >= '0' && *p <= '9'; p++)
			n = n > (LONG_MAX - 9) / 10 ? LONG_MAX : n * 10 + (*p - '0');
		while (*p == ' ' || *p == '\t')
			p++;
		return *p ? -1 : (long)n;
	}
	if (!gmtime_r(&t, &tm) ||
	    !http_date_parse(p, tm.tm_year + 1900, &when))
		return -1;
	if (when <= now)
		return 0;
	return when - now > LONG_MAX ? LONG_MAX : (long)(when - now);
}
