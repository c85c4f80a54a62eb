/*
 * test_http.c - the API-call HTTP client (src/http.c) against a tiny
 * HTTP server on 127.0.0.1 run by this test in a thread: headers captured,
 * redirects not followed, the response cap, the timeout, a refused
 * connection, and what is sent.
 */
#include <arpa/inet.h>
#include <limits.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>
#include "http.h"
#include "unit.h"

static int listen_fd = -1;
static int port;
static volatile int stopping;
static char last_request[8192];

/* Reads one request (headers and a Content-Length body) into buf. */
static void read_request(int fd, char *buf, size_t cap)
{
	size_t len = 0;
	char *end;

	buf[0] = '\0';
	while (len + 1 < cap) {
		ssize_t n = read(fd, buf + len, cap - 1 - len);

		if (n <= 0)
			break;
		len += (size_t)n;
		buf[len] = '\0';
		if ((end = strstr(buf, "\r\n\r\n"))) {
			const char *cl = strstr(buf, "Content-Length: ");
			size_t want = cl ? (size_t)atol(cl + 16) : 0;

			if (len >= (size_t)(end + 4 - buf) + want)
				break;
		}
	}
}

static void write_all(int fd, const char *s, size_t n)
{
	while (n) {
		ssize_t w = write(fd, s, n);

		if (w <= 0)
			return;
		s += w;
		n -= (size_t)w;
	}
}

static void answer(int fd, const char *req)
{
	static const char ok[] =
		"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
		"Link: <http://x/?page=2>; rel=\"next\"\r\nX-Two: a\r\nX-Two: b\r\n"
		"Content-Length: 11\r\nConnection: close\r\n\r\n{\"ok\":true}";
	static const char moved[] =
		"HTTP/1.1 301 Moved Permanently\r\nLocation: http://127.0.0.1:1/elsewhere\r\n"
		"Content-Length: 0\r\nConnection: close\r\n\r\n";

	if (strncmp(req, "GET /ok ", 8) == 0 || strncmp(req, "POST /ok ", 9) == 0) {
		write_all(fd, ok, sizeof(ok) - 1);
	} else if (strncmp(req, "GET /moved ", 11) == 0) {
		write_all(fd, moved, sizeof(moved) - 1);
	} else if (strncmp(req, "GET /big ", 9) == 0) {
		char chunk[4096];
		const char *head = "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n"
				   "Connection: close\r\n\r\n";

		memset(chunk, 'x', sizeof(chunk));
		write_all(fd, head, strlen(head));
		for (int i = 0; i < 64; i++)   /* 256 KiB, no length */
			write_all(fd, chunk, sizeof(chunk));
	} else if (strncmp(req, "GET /stall ", 11) == 0) {
		struct timespec ts = {1, 500000000};

		nanosleep(&ts, NULL);   /* longer than the client waits */
	} else {
		const char *nf = "HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n"
				 "Connection: close\r\n\r\n";

		write_all(fd, nf, strlen(nf));
	}
}

static void *serve(void *arg)
{
	(void)arg;
	while (!stopping) {
		int fd = accept(listen_fd, NULL, NULL);

		if (fd < 0)
			break;
		if (stopping) {
			close(fd);
			break;
		}
		read_request(fd, last_request, sizeof(last_request));
		answer(fd, last_request);
		close(fd);
	}
	return NULL;
}

static int start_server(pthread_t *t)
{
	struct sockaddr_in a = {0};
	socklen_t al = sizeof(a);
	int one = 1;

	listen_fd = socket(AF_INET, SOCK_STREAM, 0);
	setsockopt(listen_fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	a.sin_family = AF_INET;
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (bind(listen_fd, (struct sockaddr *)&a, sizeof(a)) < 0 ||
	    listen(listen_fd, 8) < 0 ||
	    getsockname(listen_fd, (struct sockaddr *)&a, &al) < 0)
		return -1;
	port = ntohs(a.sin_port);
	return pthread_create(t, NULL, serve, NULL);
}

static void stop_server(pthread_t t)
{
	struct sockaddr_in a = {0};
	int fd = socket(AF_INET, SOCK_STREAM, 0);

	stopping = 1;
	a.sin_family = AF_INET;
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	a.sin_port = htons((unsigned short)port);
	connect(fd, (struct sockaddr *)&a, sizeof(a));   /* wakes accept() */
	close(fd);
	pthread_join(t, NULL);
	close(listen_fd);
}

static char url_buf[128];

static const char *url(const char *path)
{
	snprintf(url_buf, sizeof(url_buf), "http://127.0.0.1:%d%s", port, path);
	return url_buf;
}

static struct http_client *client;

TEST(captures_status_headers_and_body)
{
	struct http_request rq = {.method = "GET", .url = url("/ok"), .timeout = 5};
	struct http_response r;

	EXPECT_INT(http_do(client, &rq, &r), 0);
	EXPECT_INT(r.status, 200);
	EXPECT_STR(r.body, "{\"ok\":true}");
	EXPECT_INT(r.body_len, 11);
	EXPECT_STR(http_header_get(&r, "link"), "<http://x/?page=2>; rel=\"next\"");
	EXPECT_STR(http_header_get(&r, "x-two"), "a");
	EXPECT(r.error == NULL);
	EXPECT(!r.truncated);
	http_response_free(&r);
}

TEST(sends_method_headers_and_body)
{
	struct http_header h[2] = {{"Authorization", "Bearer t0k"},
				   {"Content-Type", "application/json"}};
	struct http_request rq = {.method = "POST", .url = url("/ok"),
				  .headers = h, .nheaders = 2,
				  .body = "{\"a\":1}", .body_len = 7, .timeout = 5};
	struct http_response r;

	EXPECT_INT(http_do(client, &rq, &r), 0);
	EXPECT(strncmp(last_request, "POST /ok HTTP/1.1\r\n", 19) == 0);
	EXPECT(strstr(last_request, "\r\nAuthorization: Bearer t0k\r\n") != NULL);
	EXPECT(strstr(last_request, "\r\nContent-Type: application/json\r\n") != NULL);
	EXPECT(strstr(last_request, "User-Agent: hookdoctor/") != NULL);
	EXPECT(strstr(last_request, "Expect:") == NULL);
	EXPECT(strstr(last_request, "\r\n\r\n{\"a\":1}") != NULL);
	http_response_free(&r);
}

TEST(does_not_follow_redirects)
{
	struct http_request rq = {.method = "GET", .url = url("/moved"), .timeout = 5};
	struct http_response r;

	EXPECT_INT(http_do(client, &rq, &r), 0);
	EXPECT_INT(r.status, 301);
	EXPECT_STR(http_header_get(&r, "Location"), "http://127.0.0.1:1/elsewhere");
	http_response_free(&r);
}

TEST(stops_at_the_response_cap)
{
	struct http_request rq = {.method = "GET", .url = url("/big"), .timeout = 5,
				  .max_body = 10000};
	struct http_response r;

	EXPECT_INT(http_do(client, &rq, &r), 0);
	EXPECT_INT(r.status, 200);
	EXPECT(r.truncated);
	EXPECT_INT(r.body_len, 10000);
	EXPECT_INT(strlen(r.body), 10000);
	http_response_free(&r);
}

TEST(times_out_on_a_stalled_server)
{
	struct http_request rq = {.method = "GET", .url = url("/stall"), .timeout = 0.3};
	struct http_response r;
	struct timespec t0, t1;
	double took;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	EXPECT_INT(http_do(client, &rq, &r), -1);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	took = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
	EXPECT_STR(r.error, "timed out after 0.3 s");
	EXPECT(took < 1.2);
	http_response_free(&r);
}

TEST(says_connection_refused)
{
	struct http_request rq = {.method = "GET", .url = "http://127.0.0.1:9/",
				  .timeout = 5};
	struct http_response r;

	EXPECT_INT(http_do(client, &rq, &r), -1);
	EXPECT_INT(r.status, 0);
	EXPECT_STR(r.error, "connection refused");
	http_response_free(&r);
}

TEST(refuses_other_schemes)
{
	struct http_request rq = {.method = "GET", .url = "ftp://127.0.0.1/x",
				  .timeout = 5};
	struct http_response r;

	EXPECT_INT(http_do(client, &rq, &r), -1);
	EXPECT(r.error && strstr(r.error, "unsupported URL scheme"));
	http_response_free(&r);
}

/* --- HTTP-date and Retry-After (no server) --- */

/* 1994-11-06 08:49:37 UTC, RFC 9110's example. */
#define RFC_EXAMPLE 784111777LL

TEST(parses_the_three_http_date_forms)
{
	long long t = 0;

	EXPECT(http_date_parse("Sun, 06 Nov 1994 08:49:37 GMT", 2026, &t));
	EXPECT_INT(t, RFC_EXAMPLE);
	t = 0;
	EXPECT(http_date_parse("Sunday, 06-Nov-94 08:49:37 GMT", 2026, &t));
	EXPECT_INT(t, RFC_EXAMPLE);
	t = 0;
	EXPECT(http_date_parse("Sun Nov  6 08:49:37 1994", 2026, &t));
	EXPECT_INT(t, RFC_EXAMPLE);
	t = 0;
	EXPECT(http_date_parse("Sun Nov 16 08:49:37 1994", 2026, &t));
	EXPECT_INT(t, RFC_EXAMPLE + 10 * 86400);
	/* Names in any case, surrounding blanks. */
	EXPECT(http_date_parse("  sun, 06 NOV 1994 08:49:37 gmt ", 2026, &t));
	EXPECT_INT(t, RFC_EXAMPLE);
	EXPECT(http_date_parse("Thu, 01 Jan 1970 00:00:00 GMT", 2026, &t));
	EXPECT_INT(t, 0);
}

TEST(http_date_calendar_edges)
{
	long long t = 0;

	EXPECT(http_date_parse("Tue, 29 Feb 2000 12:00:00 GMT", 2026, &t));
	EXPECT_INT(t, 951825600LL);
	EXPECT(!http_date_parse("Thu, 29 Feb 1900 12:00:00 GMT", 2026, &t));
	EXPECT(!http_date_parse("Sat, 29 Feb 2025 12:00:00 GMT", 2026, &t));
	EXPECT(http_date_parse("Thu, 31 Dec 2099 23:59:59 GMT", 2026, &t));
	EXPECT_INT(t, 4102444799LL);
	EXPECT(http_date_parse("Fri, 31 Dec 9999 23:59:59 GMT", 2026, &t));
	EXPECT_INT(t, 253402300799LL);
	/* A leap second counts as the second before it. */
	EXPECT(http_date_parse("Sat, 31 Dec 2016 23:59:60 GMT", 2026, &t));
	EXPECT_INT(t, 1483228799LL);
	/* Before the epoch. */
	EXPECT(http_date_parse("Mon, 01 Jan 1900 00:00:00 GMT", 2026, &t));
	EXPECT_INT(t, -2208988800LL);
}

TEST(rfc850_two_digit_years_follow_the_50_year_rule)
{
	long long t = 0;

	/* In 2026: "76" is 2076 (50 years ahead), "77" is 1977. */
	EXPECT(http_date_parse("Saturday, 01-Jan-77 00:00:00 GMT", 2026, &t));
	EXPECT_INT(t, 220924800LL);
	EXPECT(http_date_parse("Wednesday, 01-Jan-76 00:00:00 GMT", 2026, &t));
	EXPECT_INT(t, 3345062400LL);
	EXPECT(http_date_parse("Friday, 01-Jan-27 00:00:00 GMT", 2026, &t));
	EXPECT_INT(t, 1798761600LL);
}

TEST(refuses_what_is_not_an_http_date)
{
	static const char *const bad[] = {
		"", "   ", "garbage", "120s", "Sun", "Sun,", "Sun, 06 Nov 1994",
		"Sun, 06 Nov 1994 08:49:37",            /* no GMT */
		"Sun, 06 Nov 1994 08:49:37 UTC",
		"Sun, 06 Nov 1994 08:49:37 +0000",
		"Sun, 6 Nov 1994 08:49:37 GMT",         /* one-digit day */
		"Sun, 06 Nov 94 08:49:37 GMT",          /* two-digit year */
		"Sun, 06 Foo 1994 08:49:37 GMT",
		"Sun, 32 Nov 1994 08:49:37 GMT",
		"Sun, 31 Nov 1994 08:49:37 GMT",
		"Sun, 00 Nov 1994 08:49:37 GMT",
		"Sun, 06 Nov 1994 24:00:00 GMT",
		"Sun, 06 Nov 1994 08:60:00 GMT",
		"Sun, 06 Nov 1994 08:49:61 GMT",
		"Sun, 06 Nov 0000 08:49:37 GMT",
		"Sun, 06 Nov 1994 08:49:37 GMT trailing",
		"Sun, 06 Nov 19944 08:49:37 GMT",
		"Sunday, 06-Nov-1994 08:49:37 GMT",
		"Sunday 06-Nov-94 08:49:37 GMT",
		"Sun Nov 6 08:49:37 1994",              /* asctime needs two columns */
		"Sun Nov  6 08:49:37 94",
		"Sun Nov  6 08:49:37",
		"Funday, 06 Nov 1994 08:49:37 GMT",
		"Sun, 06 Nov 1994 8:49:37 GMT",
		"2026-11-27T09:00:00Z",
		"Sun, 06 Nov 1994 08:49:37 GMT\nX: y",
	};
	long long t = 42;

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		if (http_date_parse(bad[i], 2026, &t)) {
			printf("  accepted \"%s\"\n", bad[i]);
			unit_cur_failed = 1;
		}
	}
	EXPECT(!http_date_parse(NULL, 2026, &t));
	EXPECT_INT(t, 42);
}

TEST(retry_after_seconds_or_date)
{
	long long now = 1795753200LL;       /* 2026-11-27 04:20:00 UTC */

	EXPECT_INT(http_retry_after("120", now), 120);
	EXPECT_INT(http_retry_after(" 0 ", now), 0);
	EXPECT_INT(http_retry_after("99999999999999999999999", now), LONG_MAX);
	EXPECT_INT(http_retry_after("Fri, 27 Nov 2026 04:21:00 GMT", now), 60);
	EXPECT_INT(http_retry_after("Friday, 27-Nov-26 04:20:30 GMT", now), 30);
	EXPECT_INT(http_retry_after("Fri Nov 27 04:20:05 2026", now), 5);
	/* A date in the past: retry now. */
	EXPECT_INT(http_retry_after("Sun, 06 Nov 1994 08:49:37 GMT", now), 0);
	EXPECT_INT(http_retry_after("Fri, 27 Nov 2026 04:20:00 GMT", now), 0);
	/* Far in the future: a long wait, which the caller will not do. */
	EXPECT_INT(http_retry_after("Fri, 31 Dec 9999 23:59:59 GMT", now),
		   253402300799LL - now);
	/* Garbage, negative, fractions, nothing. */
	EXPECT_INT(http_retry_after("soon", now), -1);
	EXPECT_INT(http_retry_after("-5", now), -1);
	EXPECT_INT(http_retry_after("1.5", now), -1);
	EXPECT_INT(http_retry_after("12 s", now), -1);
	EXPECT_INT(http_retry_after("", now), -1);
	EXPECT_INT(http_retry_after(NULL, now), -1);
}

int main(void)
{
	pthread_t t;

	/* The server thread writes to sockets the client may have closed
	 * (a capped body): EPIPE, not a killed test. */
	signal(SIGPIPE, SIG_IGN);
	/* Before the server's thread, as hookdoctor loads libcurl before
	 * its threads start (http_load()). */
	client = http_client_new();
	if (start_server(&t) != 0) {
		printf("not ok - the test server did not start\n0 passed, 1 failed\n");
		return 1;
	}
	RUN(parses_the_three_http_date_forms);
	RUN(http_date_calendar_edges);
	RUN(rfc850_two_digit_years_follow_the_50_year_rule);
	RUN(refuses_what_is_not_an_http_date);
	RUN(retry_after_seconds_or_date);
	RUN(captures_status_headers_and_body);
	RUN(sends_method_headers_and_body);
	RUN(does_not_follow_redirects);
	RUN(stops_at_the_response_cap);
	RUN(times_out_on_a_stalled_server);
	RUN(says_connection_refused);
	RUN(refuses_other_schemes);
	http_client_free(client);
	stop_server(t);
	return unit_done();
}
