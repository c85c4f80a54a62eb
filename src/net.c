/*
 * net.c - the network probe behind HD501-HD511: for each target host, DNS
 * (A and AAAA, in a thread so it is bounded by --timeout), then one libcurl
 * transfer that carries the TCP connect, the TLS handshake and one GET that
 * writes nothing, on one handle and one connection, with its timings.
 * Hosts run concurrently on one multi handle, at most 64 at a time (fewer
 * when the limit on open files is low: concurrency_cap()); every
 * step has its own deadline, enforced here, so no fault can hang the run.
 *
 * It must not send anything that belongs to the hook: no header, no body,
 * no userinfo, no query string, and it never follows a redirect. It must
 * not judge either: it records facts in struct net_result and the checks
 * (check_net.c) decide. Certificates are judged by tls.c.
 */
#include "net.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netdb.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>
#include "libcurl.h"
#include "rules.h"
#include "tls.h"

#ifndef HD_VERSION
#define HD_VERSION "0.0.0"
#endif

#define DEFAULT_TIMEOUT_S 10.0
#define DEFAULT_MAX_BODY (1024 * 1024)
/* Hosts in flight at once. Against hosts a network round trip away the
 * run is latency-bound and this is what divides its time: 200 hosts
 * answering 50 ms late took 1.45 s at 16, 0.54 s at 64, 0.38 s at 128
 * (docs/network.md). Against local hosts it is CPU-bound and the cap
 * changes nothing. 64 keeps the resolver threads, sockets and TLS
 * contexts in flight modest. */
#define DEFAULT_CONCURRENCY 64
#define FDS_PER_HOST 5          /* MAX_SOCKETS + the AIA fetch */
#define FDS_RESERVED 64         /* stdio, libcurl's wakeup pipe, files */
#define AIA_MAX_BYTES (64 * 1024)
#define HEADER_MAX_BYTES (256 * 1024)   /* below libcurl's own 300 KB cap */
#define MAX_SOCKETS 4                   /* happy eyeballs opens two */

/* --- addresses --- */

static enum addr_class classify4(const unsigned char *b)
{
	if (!b[0] && !b[1] && !b[2] && !b[3])
		return ADDR_UNSPECIFIED;
	if (b[0] == 0)
		return ADDR_RESERVED;                 /* "this network" 0/8 */
	if (b[0] == 127)
		return ADDR_LOOPBACK;
	if (b[0] == 10 || (b[0] == 172 && (b[1] & 0xf0) == 16) ||
	    (b[0] == 192 && b[1] == 168))
		return ADDR_PRIVATE;
	if (b[0] == 169 && b[1] == 254)
		return ADDR_LINK_LOCAL;
	if (b[0] == 100 && (b[1] & 0xc0) == 64)
		return ADDR_CGNAT;
	if ((b[0] == 192 && b[1] == 0 && b[2] == 2) ||
	    (b[0] == 198 && b[1] == 51 && b[2] == 100) ||
	    (b[0] == 203 && b[1] == 0 && b[2] == 113))
		return ADDR_DOCUMENTATION;
	if (b[0] >= 224 && b[0] <= 239)
		return ADDR_MULTICAST;
	if (b[0] >= 240 ||                          /* 240/4 and broadcast */
	    (b[0] == 198 && (b[1] & 0xfe) == 18) || /* benchmarking 198.18/15 */
	    (b[0] == 192 && b[1] == 0 && b[2] == 0))/* IETF 192.0.0/24 */
		return ADDR_RESERVED;
	return ADDR_PUBLIC;
}

static bool all_zero(const unsigned char *b, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (b[i])
			return false;
	return true;
}

/*
 * 2001::/23, the IETF protocol assignments (RFC 2928): IANA's
 * special-purpose registry marks the block not globally reachable, but
 * for the few assignments it marks reachable. Teredo (2001::/32) is a
 * tunnel client behind a NAT, never a server's own address; benchmarking
 * (2001:2::/48) and the deprecated ORCHID (2001:10::/28) are not routed.
 */
static enum addr_class ietf6(const unsigned char *b)
{
	if (b[2] == 0 && b[3] == 1 && all_zero(b + 4, 11) &&
	    b[15] >= 1 && b[15] <= 3)
		return ADDR_PUBLIC;     /* PCP, TURN and DNS-SD SRP anycast */
	if (b[2] == 0 && (b[3] == 3 ||                  /* AMT 2001:3::/32 */
			  (b[3] & 0xf0) == 0x20 ||       /* ORCHIDv2 /28 */
			  (b[3] & 0xf0) == 0x30))        /* drone ID /28 */
		return ADDR_PUBLIC;
	if (b[2] == 0 && b[3] == 4 && b[4] == 0x01 && b[5] == 0x12)
		return ADDR_PUBLIC;     /* AS112-v6 2001:4:112::/48 */
	return ADDR_RESERVED;
}

static enum addr_class classify6(const unsigned char *b)
{
	static const unsigned char nat64[12] = {0, 0x64, 0xff, 0x9b};

	if (all_zero(b, 16))
		return ADDR_UNSPECIFIED;
	if (all_zero(b, 15) && b[15] == 1)
		return ADDR_LOOPBACK;
	if (all_zero(b, 10) && b[10] == 0xff && b[11] == 0xff)
		return classify4(b + 12);             /* ::ffff:a.b.c.d */
	if (memcmp(b, nat64, 12) == 0)
		return classify4(b + 12);             /* 64:ff9b::a.b.c.d */
	if (b[0] == 0xff)
		return ADDR_MULTICAST;
	if ((b[0] & 0xfe) == 0xfc)
		return ADDR_ULA;
	if (b[0] == 0xfe && (b[1] & 0xc0) == 0x80)
		return ADDR_LINK_LOCAL;
	if (b[0] == 0xfe && (b[1] & 0xc0) == 0xc0)
		return ADDR_PRIVATE;                  /* site-local, deprecated */
	if ((b[0] == 0x20 && b[1] == 0x01 && b[2] == 0x0d && b[3] == 0xb8) ||
	    (b[0] == 0x3f && b[1] == 0xff && (b[2] & 0xf0) == 0))
		return ADDR_DOCUMENTATION;            /* 2001:db8::/32, 3fff::/20 */
	if (b[0] == 0x20 && b[1] == 0x01 && (b[2] & 0xfe) == 0)
		return ietf6(b);                      /* 2001::/23 */
	if (b[0] == 0x20 && b[1] == 0x02)
		return classify4(b + 2);              /* 6to4 2002:a.b.c.d::/48 */
	/* Global unicast is 2000::/3; the rest of the space not named above
	 * (::/8 but for loopback, mapped and NAT64, discard 100::/64, fe00::/9,
	 * the local-use NAT64 64:ff9b:1::/48, SRv6 5f00::/16...) is reserved
	 * by the IETF, and not reachable from the internet. */
	if ((b[0] & 0xe0) != 0x20)
		return ADDR_RESERVED;
	return ADDR_PUBLIC;
}

enum addr_class net_classify(const char *ip)
{
	unsigned char b[16];

	if (inet_pton(AF_INET, ip, b) == 1)
		return classify4(b);
	if (inet_pton(AF_INET6, ip, b) == 1)
		return classify6(b);
	return ADDR_RESERVED;
}

const char *net_addr_class_name(enum addr_class c)
{
	switch (c) {
	case ADDR_PUBLIC: return "public";
	case ADDR_LOOPBACK: return "loopback";
	case ADDR_PRIVATE: return "private (RFC 1918 / site-local)";
	case ADDR_LINK_LOCAL: return "link-local";
	case ADDR_CGNAT: return "carrier-grade NAT (100.64.0.0/10)";
	case ADDR_ULA: return "unique local (fc00::/7)";
	case ADDR_UNSPECIFIED: return "unspecified";
	case ADDR_MULTICAST: return "multicast";
	case ADDR_DOCUMENTATION: return "a documentation address";
	case ADDR_RESERVED: return "reserved";
	}
	return "?";
}

const char *net_curl_version(const char **why)
{
	const curl_version_info_data *v;

	if (!libcurl_load(why))
		return NULL;
	v = libcurl.version_info(CURLVERSION_NOW);
	return v ? v->version : NULL;
}

/* --- small helpers --- */

static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000.0 + ts.tv_nsec / 1e6;
}

/* "10 s", "2.5 s", "350 ms" */
static void fmt_dur(char *buf, size_t n, double ms)
{
	if (ms >= 1000)
		snprintf(buf, n, "%.3g s", ms / 1000);
	else
		snprintf(buf, n, "%.0f ms", ms);
}

static char *lower_dup(const char *s)
{
	char *d = xstrdup(s);

	for (char *p = d; *p; p++)
		if (*p >= 'A' && *p <= 'Z')
			*p += 32;
	return d;
}

/* --- what to request --- */

/* The HTTP request per provider is data: the "probe" member of its rule
 * file (struct rule_probe; docs/rule-files.md, docs/network.md). It is
 * always a GET that creates nothing and carries none of the hook's
 * credentials; without a rule it is the target URL itself. */
#define DEFAULT_WHY "the target URL itself, without its query string " \
	"(a GET creates nothing)"

static void free_list(char **v)
{
	for (size_t i = 0; v && v[i]; i++)
		free(v[i]);
	free(v);
}

static bool host_in(char *const *hosts, size_t n, const char *lh)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(hosts[i], lh) == 0)
			return true;
	return false;
}

static char *url_part(CURLU *u, CURLUPart what, unsigned flags)
{
	char *s = NULL, *out;

	if (libcurl.url_get(u, what, &s, flags) != CURLUE_OK || !s)
		return NULL;
	out = xstrdup(s);
	libcurl.free(s);
	return out;
}

int net_probe_plan(const char *url, const struct rule_probe *rule,
		   char **method, char **probe_url, char **why, char ***headers,
		   struct hd_error *err)
{
	CURLU *u;
	char *scheme, *host, *path;
	CURLUcode rc;

	*method = *probe_url = *why = NULL;
	*headers = NULL;
	libcurl_need();
	if (!url || !*url) {
		hd_error_set(err, "no target URL");
		return -1;
	}
	u = libcurl.url();
	if (!u) {
		hd_error_set(err, "out of memory");
		return -1;
	}
	rc = libcurl.url_set(u, CURLUPART_URL, url, CURLU_NON_SUPPORT_SCHEME);
	if (rc != CURLUE_OK) {
		hd_error_set(err, "not an absolute URL (%s)", libcurl.url_strerror(rc));
		libcurl.url_cleanup(u);
		return -1;
	}
	scheme = url_part(u, CURLUPART_SCHEME, 0);
	host = url_part(u, CURLUPART_HOST, 0);
	if (!scheme || (strcmp(scheme, "http") && strcmp(scheme, "https"))) {
		hd_error_set(err, "scheme '%s' is neither https nor http",
			     scheme ? scheme : "");
		goto fail;
	}
	if (!host || !*host) {
		hd_error_set(err, "the URL has no host");
		goto fail;
	}
	/* Nothing of the hook's travels: no userinfo, query or fragment. */
	libcurl.url_set(u, CURLUPART_USER, NULL, 0);
	libcurl.url_set(u, CURLUPART_PASSWORD, NULL, 0);
	libcurl.url_set(u, CURLUPART_OPTIONS, NULL, 0);
	libcurl.url_set(u, CURLUPART_QUERY, NULL, 0);
	libcurl.url_set(u, CURLUPART_FRAGMENT, NULL, 0);
	if (rule && rule->path) {
		char *lh = lower_dup(host);
		const char *to = rule->path;

		path = url_part(u, CURLUPART_PATH, 0);
		/* GitHub: api.github.com serves the API at /, Enterprise
		 * Server at /api/v3 (checks/github.json). */
		if (path && !host_in(rule->prefix_except_hosts,
				     rule->nprefix_except_hosts, lh))
			for (size_t i = 0; i < rule->npath_prefixes; i++)
				if (strncmp(path, rule->path_prefixes[i],
					    strlen(rule->path_prefixes[i])) == 0) {
					to = rule->path_prefixes[i];
					break;
				}
		libcurl.url_set(u, CURLUPART_PATH, to, 0);
		free(path);
		free(lh);
	}
	*probe_url = url_part(u, CURLUPART_URL, 0);
	if (!*probe_url) {
		hd_error_set(err, "cannot rebuild the URL");
		goto fail;
	}
	*method = xstrdup("GET");
	*why = xstrdup(rule ? rule->why : DEFAULT_WHY);
	if (rule && rule->nheaders) {
		*headers = xcalloc(rule->nheaders + 1, sizeof(char *));
		for (size_t i = 0; i < rule->nheaders; i++)
			(*headers)[i] = xasprintf("%s: %s", rule->header_names[i],
						  rule->header_values[i]);
	}
	free(scheme);
	free(host);
	libcurl.url_cleanup(u);
	return 0;
fail:
	free(scheme);
	free(host);
	libcurl.url_cleanup(u);
	return -1;
}

/* --- proxies: libcurl picks them from the environment by itself --- */

/* Does a NO_PROXY list name host? "*", exact names and domain suffixes
 * (".example.com" or "example.com"), as libcurl reads them. */
static bool no_proxy_match(const char *list, const char *host)
{
	size_t hl = strlen(host);

	for (const char *p = list; *p;) {
		size_t n;

		p += strspn(p, ", \t");
		n = strcspn(p, ", \t");
		if (n == 1 && *p == '*')
			return true;
		if (n && *p == '.') {
			p++;
			n--;
		}
		if (n && n <= hl && strncmp(host + hl - n, p, n) == 0 &&
		    (n == hl || host[hl - n - 1] == '.'))
			return true;
		p += n;
	}
	return false;
}

/* The proxy libcurl will use for scheme://host, without userinfo, or
 * NULL. libcurl reads http_proxy (lower case only), https_proxy or
 * HTTPS_PROXY, then all_proxy or ALL_PROXY, minus NO_PROXY. */
static char *env_proxy(const char *scheme, const char *host)
{
	const char *p, *no;
	char *out;
	CURLU *u;

	if (strcmp(scheme, "https") == 0) {
		p = getenv("https_proxy");
		if (!p || !*p)
			p = getenv("HTTPS_PROXY");
	} else {
		p = getenv("http_proxy");
	}
	if (!p || !*p)
		p = getenv("all_proxy");
	if (!p || !*p)
		p = getenv("ALL_PROXY");
	if (!p || !*p)
		return NULL;
	no = getenv("no_proxy");
	if (!no || !*no)
		no = getenv("NO_PROXY");
	if (no && no_proxy_match(no, host))
		return NULL;
	u = libcurl.url();
	if (!u || libcurl.url_set(u, CURLUPART_URL, p, CURLU_GUESS_SCHEME |
			       CURLU_NON_SUPPORT_SCHEME) != CURLUE_OK) {
		libcurl.url_cleanup(u);
		return xstrdup("(unparsable proxy setting)");
	}
	libcurl.url_set(u, CURLUPART_USER, NULL, 0);
	libcurl.url_set(u, CURLUPART_PASSWORD, NULL, 0);
	out = url_part(u, CURLUPART_URL, 0);
	libcurl.url_cleanup(u);
	return out;
}

/* --- DNS in a thread, abandoned (never waited for) on timeout --- */

/* Lets resolver threads wake the multi loop; outlives it when a thread
 * is still stuck in getaddrinfo() at the end of the run. */
struct notifier {
	pthread_mutex_t mu;
	int refs;
	CURLM *multi;           /* NULL once the loop is over */
};

struct resolve {
	pthread_mutex_t mu;
	int refs;               /* the thread and the job */
	bool done;
	char *host;
	int gai;
	int sys_errno;
	struct addrinfo *ai;
	double t_ms;
	struct notifier *n;
};

static void notifier_release(struct notifier *n)
{
	bool last;

	pthread_mutex_lock(&n->mu);
	last = --n->refs == 0;
	pthread_mutex_unlock(&n->mu);
	if (last) {
		pthread_mutex_destroy(&n->mu);
		free(n);
	}
}

static void resolve_release(struct resolve *rs)
{
	bool last;

	pthread_mutex_lock(&rs->mu);
	last = --rs->refs == 0;
	pthread_mutex_unlock(&rs->mu);
	if (!last)
		return;
	if (rs->ai)
		freeaddrinfo(rs->ai);
	notifier_release(rs->n);
	pthread_mutex_destroy(&rs->mu);
	free(rs->host);
	free(rs);
}

static void resolve_run(struct resolve *rs)
{
	struct addrinfo hints, *ai = NULL;
	double t0 = now_ms();
	int rc, e;

	memset(&hints, 0, sizeof(hints));
	hints.ai_family = AF_UNSPEC;      /* A and AAAA, whatever this host has */
	hints.ai_socktype = SOCK_STREAM;
	errno = 0;
	rc = getaddrinfo(rs->host, NULL, &hints, &ai);
	e = errno;
	pthread_mutex_lock(&rs->mu);
	rs->gai = rc;
	rs->sys_errno = e;
	rs->ai = rc == 0 ? ai : NULL;
	rs->t_ms = now_ms() - t0;
	rs->done = true;
	pthread_mutex_unlock(&rs->mu);
	pthread_mutex_lock(&rs->n->mu);
	if (rs->n->multi)
		libcurl.multi_wakeup(rs->n->multi);
	pthread_mutex_unlock(&rs->n->mu);
}

static void *resolve_thread(void *arg)
{
	resolve_run(arg);
	resolve_release(arg);
	return NULL;
}

static struct resolve *resolve_start(const char *host, struct notifier *n)
{
	struct resolve *rs = xcalloc(1, sizeof(*rs));
	pthread_attr_t attr;
	pthread_t th;
	int rc;

	pthread_mutex_init(&rs->mu, NULL);
	rs->host = xstrdup(host);
	rs->refs = 2;
	rs->n = n;
	pthread_mutex_lock(&n->mu);
	n->refs++;
	pthread_mutex_unlock(&n->mu);
	pthread_attr_init(&attr);
	pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
	rc = pthread_create(&th, &attr, resolve_thread, rs);
	pthread_attr_destroy(&attr);
	if (rc != 0) {
		/* No thread: resolve here, unbounded but still correct. */
		resolve_run(rs);
		resolve_release(rs);
	}
	return rs;
}

/* --- results --- */

#define NET_STRINGS(X)                                                   \
	X(url) X(url_error) X(scheme) X(host) X(trust) X(dns_error)      \
	X(connect_error) X(connected_ip) X(tls_error) X(tls_version)    \
	X(tls_cipher) X(chain_error) X(chain_path) X(missing_issuer)    \
	X(aia_url) X(http_method) X(http_url) X(http_why) X(http_version)\
	X(http_error) X(location) X(redirect_url) X(proxy)

static void result_init(struct net_result *r)
{
	memset(r, 0, sizeof(*r));
	r->t_dns = r->t_connect = r->t_tls = r->t_first_byte = r->t_total = -1;
}

static void result_copy(struct net_result *d, const struct net_result *s)
{
	*d = *s;
#define DUP(f) d->f = xstrdup_or_null(s->f);
	NET_STRINGS(DUP)
#undef DUP
	if (s->naddrs) {
		d->addrs = xcalloc(s->naddrs, sizeof(*d->addrs));
		memcpy(d->addrs, s->addrs, s->naddrs * sizeof(*d->addrs));
	}
	if (s->ncerts) {
		d->certs = xcalloc(s->ncerts, sizeof(*d->certs));
		for (size_t i = 0; i < s->ncerts; i++) {
			const struct net_cert *a = &s->certs[i];
			struct net_cert *b = &d->certs[i];

			*b = *a;
			b->subject = xstrdup_or_null(a->subject);
			b->issuer = xstrdup_or_null(a->issuer);
			b->not_before = xstrdup_or_null(a->not_before);
			b->not_after = xstrdup_or_null(a->not_after);
			b->sha256 = xstrdup_or_null(a->sha256);
			b->sans = a->nsans ? xcalloc(a->nsans, sizeof(char *)) : NULL;
			for (size_t k = 0; k < a->nsans; k++)
				b->sans[k] = xstrdup(a->sans[k]);
		}
	}
}

void net_result_free(struct net_result *r)
{
	if (!r)
		return;
#define FREE(f) free(r->f);
	NET_STRINGS(FREE)
#undef FREE
	free(r->addrs);
	for (size_t i = 0; i < r->ncerts; i++)
		tls_cert_free(&r->certs[i]);
	free(r->certs);
	result_init(r);
}

int net_check_cacert(const char *path, struct hd_error *err)
{
	return tls_cacert_check(path, err);
}

/* --- one job per scheme://host:port --- */

enum job_state { J_WAIT, J_RESOLVING, J_RUNNING, J_AIA, J_DONE };

/* What one transfer read: bounded, the body is only counted. */
struct xfer {
	size_t cap, header_cap;
	size_t body_bytes, header_bytes;
	bool body_cap_hit, header_cap_hit;
	char *location;
	struct sbuf *keep;      /* AIA: keep the body */
};

struct job {
	enum job_state state;
	char *key;
	char *method, *url, *why;   /* the plan of its first target */
	char **extra;           /* its extra request headers, NULL-ended */
	char *curl_host;        /* host as libcurl sees it (brackets for v6) */
	struct net_result r;    /* the host's facts */
	double t_start;         /* DNS began */
	double t_xfer;          /* the transfer began */
	struct resolve *rs;
	CURL *easy;
	struct curl_slist *resolve_list, *headers;
	struct tls_capture *cap;
	char errbuf[CURL_ERROR_SIZE];
	struct xfer x;
	enum net_step abort_step;
	char *abort_msg;
	bool abort_body;        /* aborted while the body was still coming */
	/* The sockets libcurl opened for this transfer: libcurl 7.88 does not
	 * report CONNECT_TIME until TLS is done too, so a stalled handshake
	 * is told from a stalled TCP connect by asking the socket. */
	curl_socket_t fds[MAX_SOCKETS];
	int nfds;
	double t_seen_connect;  /* ms after t_xfer; 0: not seen connected */
	CURL *aia;
	struct xfer ax;
	struct sbuf aia_body;
	char aia_err[CURL_ERROR_SIZE];
};

struct run {
	const struct net_options *o;
	double timeout_ms;
	size_t max_body;
	CURLM *multi;
	struct notifier *n;
	struct tls_trust *trust;
	bool trust_tried;
	struct hd_error trust_err;
	char *trust_label;
	struct job **active;
	size_t nactive;
	size_t done;            /* jobs finished */
};

static size_t on_body(char *p, size_t sz, size_t nm, void *ud)
{
	struct xfer *x = ud;
	size_t len = sz * nm;

	if (x->body_bytes + len > x->cap) {
		x->body_bytes = x->cap;
		x->body_cap_hit = true;
		return 0;       /* aborts the transfer: enough was read */
	}
	x->body_bytes += len;
	if (x->keep)
		sbuf_addn(x->keep, p, len);
	return len;
}

static size_t on_header(char *p, size_t sz, size_t nm, void *ud)
{
	struct xfer *x = ud;
	size_t len = sz * nm;

	x->header_bytes += len;
	if (x->header_bytes > (x->header_cap ? x->header_cap : x->cap)) {
		x->header_cap_hit = true;
		return 0;
	}
	if (len >= 5 && strncmp(p, "HTTP/", 5) == 0) {
		/* A new response (after 100 Continue): forget the last one. */
		free(x->location);
		x->location = NULL;
	} else if (len > 9 && ascii_prefix_ci(p, "location:")) {
		const char *v = p + 9, *end = p + len;

		while (v < end && (*v == ' ' || *v == '\t'))
			v++;
		while (end > v && (end[-1] == '\r' || end[-1] == '\n' ||
				   end[-1] == ' ' || end[-1] == '\t'))
			end--;
		free(x->location);
		x->location = xstrndup(v, (size_t)(end - v));
	}
	return len;
}

static curl_socket_t on_open_socket(void *ud, curlsocktype purpose,
				    struct curl_sockaddr *addr)
{
	struct job *j = ud;
	curl_socket_t s;

	(void)purpose;
	s = socket(addr->family, addr->socktype, addr->protocol);
	if (s != CURL_SOCKET_BAD && j->nfds < MAX_SOCKETS)
		j->fds[j->nfds++] = s;
	return s;
}

static int on_close_socket(void *ud, curl_socket_t s)
{
	struct job *j = ud;

	for (int i = 0; i < j->nfds; i++)
		if (j->fds[i] == s) {
			j->fds[i] = j->fds[--j->nfds];
			break;
		}
	return close(s);
}

/* Has one of the transfer's sockets completed its TCP handshake? */
static bool socket_connected(struct job *j, double now)
{
	for (int i = 0; i < j->nfds && !j->t_seen_connect; i++) {
		struct sockaddr_storage ss;
		socklen_t len = sizeof(ss);

		if (getpeername(j->fds[i], (struct sockaddr *)&ss, &len) == 0)
			j->t_seen_connect = now - j->t_xfer > 0 ? now - j->t_xfer : 0.001;
	}
	return j->t_seen_connect > 0;
}

static CURLcode on_ssl_ctx(CURL *easy, void *ssl_ctx, void *ud)
{
	(void)easy;
	tls_capture_install(ssl_ctx, ud);
	return CURLE_OK;
}

static void set_common(CURL *e, struct run *run, char *errbuf)
{
	long t = (long)run->timeout_ms;

	libcurl.easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
	libcurl.easy_setopt(e, CURLOPT_ERRORBUFFER, errbuf);
	libcurl.easy_setopt(e, CURLOPT_HTTPGET, 1L);
#if LIBCURL_VERSION_NUM >= 0x075500
	libcurl.easy_setopt(e, CURLOPT_PROTOCOLS_STR, "http,https");
#else
	libcurl.easy_setopt(e, CURLOPT_PROTOCOLS, (long)(CURLPROTO_HTTP | CURLPROTO_HTTPS));
#endif
	libcurl.easy_setopt(e, CURLOPT_USERAGENT, "hookdoctor/" HD_VERSION);
	/* Backstops only: the loop enforces each step's own deadline. */
	libcurl.easy_setopt(e, CURLOPT_CONNECTTIMEOUT_MS, 2 * t + 1000);
	libcurl.easy_setopt(e, CURLOPT_TIMEOUT_MS, 4 * t + 1000);
}

static void job_add_addr(struct job *j, const char *ip, int family)
{
	struct net_result *r = &j->r;

	for (size_t i = 0; i < r->naddrs; i++)
		if (strcmp(r->addrs[i].text, ip) == 0)
			return;
	r->addrs = xrealloc(r->addrs, (r->naddrs + 1) * sizeof(*r->addrs));
	memset(&r->addrs[r->naddrs], 0, sizeof(*r->addrs));
	snprintf(r->addrs[r->naddrs].text, sizeof(r->addrs[0].text), "%s", ip);
	r->addrs[r->naddrs].family = family;
	r->addrs[r->naddrs].cls = net_classify(ip);
	r->naddrs++;
}

static void job_finish(struct run *run, struct job *j)
{
	if (j->easy) {
		libcurl.multi_remove_handle(run->multi, j->easy);
		libcurl.easy_cleanup(j->easy);
		j->easy = NULL;
	}
	if (j->aia) {
		libcurl.multi_remove_handle(run->multi, j->aia);
		libcurl.easy_cleanup(j->aia);
		j->aia = NULL;
	}
	libcurl.slist_free_all(j->resolve_list);
	libcurl.slist_free_all(j->headers);
	j->resolve_list = j->headers = NULL;
	tls_capture_free(j->cap);
	j->cap = NULL;
	free(j->x.location);
	free(j->ax.location);
	j->x.location = j->ax.location = NULL;
	sbuf_free(&j->aia_body);
	free(j->abort_msg);
	j->abort_msg = NULL;
	if (j->rs) {
		resolve_release(j->rs);
		j->rs = NULL;
	}
	j->state = J_DONE;
	run->done++;
	for (size_t i = 0; i < run->nactive; i++)
		if (run->active[i] == j) {
			run->active[i] = run->active[--run->nactive];
			break;
		}
}

static void start_transfer(struct run *run, struct job *j)
{
	CURL *e = libcurl.easy_init();

	if (!e) {
		j->r.connect_error = xstrdup("libcurl could not start a transfer");
		j->r.failed = STEP_CONNECT;
		job_finish(run, j);
		return;
	}
	j->easy = e;
	set_common(e, run, j->errbuf);
	libcurl.easy_setopt(e, CURLOPT_URL, j->url);
	libcurl.easy_setopt(e, CURLOPT_FOLLOWLOCATION, 0L);
	libcurl.easy_setopt(e, CURLOPT_PRIVATE, j);
	libcurl.easy_setopt(e, CURLOPT_WRITEFUNCTION, on_body);
	libcurl.easy_setopt(e, CURLOPT_WRITEDATA, &j->x);
	libcurl.easy_setopt(e, CURLOPT_HEADERFUNCTION, on_header);
	libcurl.easy_setopt(e, CURLOPT_HEADERDATA, &j->x);
	libcurl.easy_setopt(e, CURLOPT_OPENSOCKETFUNCTION, on_open_socket);
	libcurl.easy_setopt(e, CURLOPT_OPENSOCKETDATA, j);
	libcurl.easy_setopt(e, CURLOPT_CLOSESOCKETFUNCTION, on_close_socket);
	libcurl.easy_setopt(e, CURLOPT_CLOSESOCKETDATA, j);
	j->x.cap = run->max_body;
	j->x.header_cap = HEADER_MAX_BYTES;
	if (j->extra && j->extra[0]) {
		for (size_t i = 0; j->extra[i]; i++)
			j->headers = libcurl.slist_append(j->headers, j->extra[i]);
		libcurl.easy_setopt(e, CURLOPT_HTTPHEADER, j->headers);
	}
	if (strcmp(j->r.scheme, "https") == 0) {
		j->cap = tls_capture_new();
		/* Verification is ours (tls.c), so a hook with verify_ssl:
		 * false gets the same certificate findings. */
		libcurl.easy_setopt(e, CURLOPT_SSL_VERIFYPEER, 0L);
		libcurl.easy_setopt(e, CURLOPT_SSL_VERIFYHOST, 0L);
		libcurl.easy_setopt(e, CURLOPT_SSL_CTX_FUNCTION, on_ssl_ctx);
		libcurl.easy_setopt(e, CURLOPT_SSL_CTX_DATA, j->cap);
		libcurl.easy_setopt(e, CURLOPT_SSL_SESSIONID_CACHE, 0L);
	}
	if (!j->r.ip_literal && j->r.naddrs) {
		/* Connect to exactly the addresses HD501/HD502 judged. */
		struct sbuf b = {0};

		sbuf_addf(&b, "%s:%d:", j->curl_host, j->r.port);
		for (size_t i = 0; i < j->r.naddrs; i++) {
			const struct net_addr *a = &j->r.addrs[i];

			sbuf_addf(&b, a->family == 6 ? "%s[%s]" : "%s%s",
				  i ? "," : "", a->text);
		}
		j->resolve_list = libcurl.slist_append(NULL, b.s);
		sbuf_free(&b);
		libcurl.easy_setopt(e, CURLOPT_RESOLVE, j->resolve_list);
	}
	j->t_xfer = now_ms();
	j->state = J_RUNNING;
	libcurl.multi_add_handle(run->multi, e);
}

static const char *gai_text(int rc, int sys_errno, char *buf, size_t n)
{
	switch (rc) {
	case EAI_NONAME:
		return "no such host (NXDOMAIN, or no A/AAAA record)";
	case EAI_AGAIN:
		return "temporary DNS failure: the resolver gave no answer";
	case EAI_FAIL:
		return "DNS failure (the name server refused or failed)";
	case EAI_SYSTEM:
		snprintf(buf, n, "resolver error: %s", strerror(sys_errno));
		return buf;
	default:
		snprintf(buf, n, "%s", gai_strerror(rc));
		return buf;
	}
}

/* A resolution has ended (or timed out): record it, then connect. */
static void dns_done(struct run *run, struct job *j, bool timed_out)
{
	struct net_result *r = &j->r;
	char buf[160], dur[32];

	if (timed_out) {
		r->t_dns = now_ms() - j->t_start;
		fmt_dur(dur, sizeof(dur), run->timeout_ms);
		r->dns_error = xasprintf("no answer from the resolver within %s", dur);
	} else {
		r->t_dns = j->rs->t_ms;
		for (struct addrinfo *ai = j->rs->ai; ai; ai = ai->ai_next) {
			char ip[INET6_ADDRSTRLEN];
			const void *p = ai->ai_family == AF_INET
				? (const void *)&((struct sockaddr_in *)ai->ai_addr)->sin_addr
				: (const void *)&((struct sockaddr_in6 *)ai->ai_addr)->sin6_addr;

			if ((ai->ai_family != AF_INET && ai->ai_family != AF_INET6) ||
			    !inet_ntop(ai->ai_family, p, ip, sizeof(ip)))
				continue;
			job_add_addr(j, ip, ai->ai_family == AF_INET ? 4 : 6);
		}
		if (!r->naddrs)
			r->dns_error = xstrdup(j->rs->gai
				? gai_text(j->rs->gai, j->rs->sys_errno, buf, sizeof(buf))
				: "the name has no A or AAAA record");
	}
	resolve_release(j->rs);
	j->rs = NULL;
	if (r->dns_error) {
		r->failed = STEP_DNS;
		job_finish(run, j);
		return;
	}
	r->dns_ok = true;
	start_transfer(run, j);
}

static void job_start(struct run *run, struct job *j)
{
	run->active[run->nactive++] = j;
	j->t_start = now_ms();
	if (j->r.ip_literal) {
		job_add_addr(j, j->r.host, strchr(j->r.host, ':') ? 6 : 4);
		j->r.dns_ok = true;
		j->r.t_dns = 0;
		start_transfer(run, j);
		return;
	}
	j->rs = resolve_start(j->r.host, run->n);
	j->state = J_RESOLVING;
}

/* --- reading a finished transfer --- */

static double info_ms(CURL *e, CURLINFO what)
{
	curl_off_t v = 0;

	if (libcurl.easy_getinfo(e, what, &v) != CURLE_OK)
		return 0;
	return v / 1000.0;
}

static bool has(const char *s, const char *needle)
{
	return s && strstr(s, needle);
}

/* Whether the peer reset the connection. Besides ECONNRESET: when the
 * reset comes just after the connect, libcurl 7.88 fails on its own
 * getpeername() with ENOTCONN ("getpeername() failed with errno 107:
 * Transport endpoint is not connected"), as seen in CI. A socket that was
 * connected and is no longer is one the peer reset; a peer that merely
 * closes leaves it connected (half-closed). */
static bool gone(long os_errno, const char *eb)
{
	return os_errno == ECONNRESET || os_errno == ENOTCONN ||
	       has(eb, "reset by peer") || has(eb, "not connected");
}

static char *connect_text(CURLcode code, long os_errno, const char *eb)
{
	switch (os_errno) {
	case ECONNREFUSED: return xstrdup("connection refused");
	case EHOSTUNREACH: return xstrdup("no route to host");
	case ENETUNREACH: return xstrdup("network unreachable");
	case ECONNRESET: return xstrdup("connection reset");
	case ENOTCONN: return xstrdup("connection reset");  /* see gone() */
	default: break;
	}
	if (code == CURLE_COULDNT_RESOLVE_PROXY)
		return xasprintf("the proxy's name does not resolve: %s", eb);
	if (has(eb, "refused"))
		return xstrdup("connection refused");
	return xstrdup(*eb ? eb : libcurl.easy_strerror(code));
}

static char *tls_text(CURLcode code, long os_errno, const char *eb)
{
	const char *alert = strstr(eb, "alert ");

	if (alert) {
		/* "...:sslv3 alert handshake failure" */
		return xasprintf("the server sent a TLS alert: %s", alert + 6);
	}
	if (has(eb, "wrong version number") || has(eb, "packet length too long") ||
	    has(eb, "record layer failure") || has(eb, "http request"))
		return xstrdup("the server does not answer with TLS on this port "
			       "(plain HTTP?)");
	if (gone(os_errno, eb))
		return xstrdup("connection reset by the server during the TLS "
			       "handshake");
	if (has(eb, "unexpected eof") || has(eb, "SSL_ERROR_SYSCALL"))
		return xstrdup("the server closed the connection during the TLS "
			       "handshake");
	if (has(eb, "unsupported protocol") || has(eb, "no protocols available"))
		return xstrdup("no TLS version in common with the server");
	return xasprintf("TLS handshake failed: %s",
			 *eb ? eb : libcurl.easy_strerror(code));
}

static char *http_text(CURLcode code, long os_errno, const char *eb)
{
	switch (code) {
	case CURLE_GOT_NOTHING:
		return xstrdup("the server closed the connection without answering");
	case CURLE_WEIRD_SERVER_REPLY:
		return xasprintf("not an HTTP answer (%s)", eb);
	case CURLE_OUT_OF_MEMORY:
		/* what libcurl says of a header line over its 100 KB limit
		 * (tests/net/hostile.py, bigheader) */
		return xstrdup("an answer header too large to read (libcurl "
			       "stops at 100 KB a header)");
	default:
		break;
	}
	if (gone(os_errno, eb))
		return xstrdup("connection reset by the server before it answered");
	return xstrdup(*eb ? eb : libcurl.easy_strerror(code));
}

char *net_failure_text(enum net_step step, int code, long os_errno,
		       const char *errbuf)
{
	const char *eb = errbuf ? errbuf : "";

	libcurl_need();         /* for easy_strerror() */
	switch (step) {
	case STEP_CONNECT: return connect_text((CURLcode)code, os_errno, eb);
	case STEP_TLS: return tls_text((CURLcode)code, os_errno, eb);
	default: return http_text((CURLcode)code, os_errno, eb);
	}
}

static bool same_url(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);

	/* "https://h/x" and "https://h/x/" are the same place here. */
	while (la && a[la - 1] == '/')
		la--;
	while (lb && b[lb - 1] == '/')
		lb--;
	return la == lb && strncmp(a, b, la) == 0;
}

static void start_aia(struct run *run, struct job *j)
{
	CURL *e = libcurl.easy_init();

	if (!e) {
		tls_inspect_aia(j->cap, run->trust, NULL, 0,
				"libcurl could not start a transfer", &j->r);
		job_finish(run, j);
		return;
	}
	j->aia = e;
	set_common(e, run, j->aia_err);
	libcurl.easy_setopt(e, CURLOPT_URL, j->r.aia_url);
	/* CAs move their files around; this request carries nothing. */
	libcurl.easy_setopt(e, CURLOPT_FOLLOWLOCATION, 1L);
	libcurl.easy_setopt(e, CURLOPT_MAXREDIRS, 3L);
	libcurl.easy_setopt(e, CURLOPT_PRIVATE, j);
	j->ax.cap = AIA_MAX_BYTES;
	j->ax.keep = &j->aia_body;
	libcurl.easy_setopt(e, CURLOPT_WRITEFUNCTION, on_body);
	libcurl.easy_setopt(e, CURLOPT_WRITEDATA, &j->ax);
	j->t_xfer = now_ms();
	j->state = J_AIA;
	libcurl.multi_add_handle(run->multi, e);
}

static void aia_done(struct run *run, struct job *j, CURLcode code)
{
	long status = 0;
	char *why = NULL;

	libcurl.easy_getinfo(j->aia, CURLINFO_RESPONSE_CODE, &status);
	if (j->abort_msg)
		why = xstrdup(j->abort_msg);
	else if (code != CURLE_OK)
		why = xstrdup(j->aia_err[0] ? j->aia_err : libcurl.easy_strerror(code));
	else if (status != 200)
		why = xasprintf("HTTP %ld", status);
	tls_inspect_aia(j->cap, run->trust, (const unsigned char *)j->aia_body.s,
			j->aia_body.len, why, &j->r);
	free(why);
	job_finish(run, j);
}

static void transfer_done(struct run *run, struct job *j, CURLcode code)
{
	struct net_result *r = &j->r;
	CURL *e = j->easy;
	double tn = info_ms(e, CURLINFO_NAMELOOKUP_TIME_T);
	double tc = info_ms(e, CURLINFO_CONNECT_TIME_T);
	double ta = info_ms(e, CURLINFO_APPCONNECT_TIME_T);
	double ts = info_ms(e, CURLINFO_STARTTRANSFER_TIME_T);
	double tt = info_ms(e, CURLINFO_TOTAL_TIME_T);
	double elapsed = now_ms() - j->t_xfer;
	bool https = strcmp(r->scheme, "https") == 0;
	long os_errno = 0, status = 0, port = 0, ver = 0;
	char *ip = NULL, *redir = NULL;
	const char *eb = j->errbuf;
	bool connected, tls_done;

	if (tt <= 0)
		tt = elapsed;
	libcurl.easy_getinfo(e, CURLINFO_OS_ERRNO, &os_errno);
	libcurl.easy_getinfo(e, CURLINFO_RESPONSE_CODE, &status);
	libcurl.easy_getinfo(e, CURLINFO_PRIMARY_IP, &ip);
	libcurl.easy_getinfo(e, CURLINFO_PRIMARY_PORT, &port);
	libcurl.easy_getinfo(e, CURLINFO_HTTP_VERSION, &ver);
	libcurl.easy_getinfo(e, CURLINFO_REDIRECT_URL, &redir);

	/* Which steps were reached: the timers say, and a TLS or HTTP level
	 * error means the TCP connection was made. */
	socket_connected(j, now_ms());
	if (tc <= 0 && j->t_seen_connect > 0)
		tc = tn + j->t_seen_connect;
	/* A reset (gone(): ECONNRESET, or libcurl's getpeername() finding
	 * the socket no longer connected) only follows a completed TCP
	 * handshake (a refused SYN gives ECONNREFUSED): the server accepted,
	 * then reset. libcurl may still call it "couldn't connect" when the
	 * reset wins the race. */
	connected = tc > 0 || ta > 0 || status > 0 || gone(os_errno, eb) ||
		    (j->abort_step > STEP_CONNECT) ||
		    (!j->abort_step && code != CURLE_COULDNT_CONNECT &&
		     code != CURLE_OPERATION_TIMEDOUT &&
		     code != CURLE_COULDNT_RESOLVE_HOST &&
		     code != CURLE_COULDNT_RESOLVE_PROXY);
	if (!connected) {
		r->failed = STEP_CONNECT;
		r->t_connect = tt - tn;
		if (j->abort_msg)
			r->connect_error = xstrdup(j->abort_msg);
		else if (code == CURLE_OPERATION_TIMEDOUT) {
			char dur[32];

			fmt_dur(dur, sizeof(dur), r->t_connect);
			r->connect_error = xasprintf("no TCP connection within %s", dur);
		} else
			r->connect_error = connect_text(code, os_errno, eb);
		job_finish(run, j);
		return;
	}
	r->connect_ok = true;
	r->t_connect = tc > tn ? tc - tn : 0;
	if (ip && *ip)
		r->connected_ip = xstrdup(ip);
	r->connected_port = (int)port;

	if (https) {
		const char *v, *c;

		r->tls_attempted = true;
		v = tls_capture_version(j->cap, &r->tls_version_num);
		c = tls_capture_cipher(j->cap);
		r->tls_version = xstrdup_or_null(v);
		r->tls_cipher = xstrdup_or_null(c);
		if (tls_capture_has_chain(j->cap)) {
			if (!run->trust_tried) {
				run->trust_tried = true;
				run->trust = tls_trust_new(run->o->cacert, &run->trust_err);
			}
			if (run->trust)
				tls_inspect(j->cap, run->trust, r->host, r);
			else {
				r->chain_problem = CHAIN_OTHER;
				r->chain_error = xstrdup(run->trust_err.msg);
			}
		}
		tls_done = ta > 0 || status > 0 || code == CURLE_OK;
		if (!tls_done || j->abort_step == STEP_TLS) {
			r->failed = STEP_TLS;
			r->t_tls = tt - (tc > 0 ? tc : tn);
			r->tls_error = j->abort_msg ? xstrdup(j->abort_msg)
						    : tls_text(code, os_errno, eb);
			goto out;
		}
		r->tls_ok = true;
		r->t_tls = ta - tc;
	}

	{
		double base = ta > tc ? ta : tc;

		switch (ver) {
		case CURL_HTTP_VERSION_1_0: r->http_version = xstrdup("HTTP/1.0"); break;
		case CURL_HTTP_VERSION_1_1: r->http_version = xstrdup("HTTP/1.1"); break;
		case CURL_HTTP_VERSION_2_0: r->http_version = xstrdup("HTTP/2"); break;
		case CURL_HTTP_VERSION_3: r->http_version = xstrdup("HTTP/3"); break;
		default: break;
		}
		r->body_bytes = j->x.body_bytes;
		if (status > 0 && (j->x.header_cap_hit ||
				   has(eb, "Too large response headers"))) {
			r->failed = STEP_HTTP;
			r->t_first_byte = tt - base;
			r->http_error = xasprintf("the response headers do not end "
						  "(stopped after %zu bytes)",
						  j->x.header_bytes);
		} else if (status > 0) {
			r->http_ok = true;
			r->http_status = status;
			r->t_first_byte = ts > base ? ts - base : 0;
			r->t_total = r->t_dns + tt;
			r->body_truncated = j->x.body_cap_hit || j->abort_body;
			if (j->abort_body)
				r->http_error = xstrdup(j->abort_msg);
			else if (j->x.body_cap_hit)
				r->http_error = xasprintf("stopped reading at the "
							  "%zu-byte cap", j->x.cap);
			else if (code != CURLE_OK && !j->x.body_cap_hit)
				r->http_error = http_text(code, os_errno, eb);
			if (j->x.location) {
				r->location = xstrdup(j->x.location);
				r->redirect_url = xstrdup(redir ? redir : j->x.location);
				r->redirect_loop = same_url(r->redirect_url, j->url);
			}
		} else {
			r->failed = STEP_HTTP;
			r->t_first_byte = tt - base;
			r->http_error = j->abort_msg ? xstrdup(j->abort_msg)
						     : http_text(code, os_errno, eb);
		}
	}
out:
	libcurl.multi_remove_handle(run->multi, e);
	libcurl.easy_cleanup(e);
	j->easy = NULL;
	if (https && r->chain_problem == CHAIN_ISSUER_MISSING && r->aia_url) {
		free(j->abort_msg);
		j->abort_msg = NULL;
		j->abort_step = STEP_NONE;
		start_aia(run, j);
		return;
	}
	job_finish(run, j);
}

/* Enforces each step's deadline on a running transfer. Returns true when
 * it was stopped (and handled). */
static bool check_deadline(struct run *run, struct job *j, double now)
{
	double T = run->timeout_ms, el = now - j->t_xfer;
	char dur[32];

	fmt_dur(dur, sizeof(dur), T);
	if (j->state == J_AIA) {
		if (el <= 2 * T)
			return false;
		j->abort_msg = xasprintf("no answer within %s", dur);
		libcurl.multi_remove_handle(run->multi, j->aia);
		aia_done(run, j, CURLE_OPERATION_TIMEDOUT);
		return true;
	} else {
		double tc = info_ms(j->easy, CURLINFO_CONNECT_TIME_T);
		double ta = info_ms(j->easy, CURLINFO_APPCONNECT_TIME_T);
		double ts = info_ms(j->easy, CURLINFO_STARTTRANSFER_TIME_T);
		bool https = strcmp(j->r.scheme, "https") == 0;

		if (tc <= 0 && socket_connected(j, now))
			tc = j->t_seen_connect;
		if (tc <= 0) {
			if (el <= T)
				return false;
			j->abort_step = STEP_CONNECT;
			j->abort_msg = xasprintf("no TCP connection within %s", dur);
		} else if (https && ta <= 0) {
			if (el - tc <= T)
				return false;
			j->abort_step = STEP_TLS;
			j->abort_msg = xasprintf("the TLS handshake did not finish "
						 "within %s", dur);
		} else if (ts <= 0) {
			if (el - (ta > tc ? ta : tc) <= T)
				return false;
			j->abort_step = STEP_HTTP;
			j->abort_msg = xasprintf("no answer within %s of the request",
						 dur);
		} else {
			if (el - ts <= T)
				return false;
			j->abort_step = STEP_HTTP;
			j->abort_body = true;
			j->abort_msg = xasprintf("the body was still coming %s after "
						 "the answer began; stopped after "
						 "%zu bytes", dur, j->x.body_bytes);
		}
		libcurl.multi_remove_handle(run->multi, j->easy);
		transfer_done(run, j, CURLE_OPERATION_TIMEDOUT);
		return true;
	}
}

static void progress(struct run *run, double t0, double *last, size_t done,
		     size_t total, bool *shown)
{
	double now = now_ms();

	if (!run->o->progress || now - t0 < 1000 || now - *last < 250)
		return;
	*last = now;
	*shown = true;
	fprintf(stderr, "\rhookdoctor: probing hosts %zu/%zu", done, total);
	fflush(stderr);
}

/* The hosts probed at once: o->concurrency or DEFAULT_CONCURRENCY, but
 * never more than the limit on open files leaves room for (each host in
 * flight may hold FDS_PER_HOST descriptors), and at least one. */
static int concurrency_cap(const struct net_options *o)
{
	int conc = o->concurrency > 0 ? o->concurrency : DEFAULT_CONCURRENCY;
	struct rlimit rl;

	if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur != RLIM_INFINITY) {
		rlim_t room = rl.rlim_cur > FDS_RESERVED + FDS_PER_HOST
			? (rl.rlim_cur - FDS_RESERVED) / FDS_PER_HOST : 1;

		if ((rlim_t)conc > room)
			conc = (int)room;
	}
	return conc;
}

static void run_loop(struct run *run, struct job *jobs, size_t njobs)
{
	size_t next = 0, done = 0;
	int conc = concurrency_cap(run->o);
	double t0 = now_ms(), last = 0;
	bool shown = false;

	run->active = xcalloc((size_t)conc, sizeof(*run->active));
	while (done < njobs) {
		int running;
		CURLMsg *m;
		int left;
		double now;

		while (run->nactive < (size_t)conc && next < njobs)
			job_start(run, &jobs[next++]);
		libcurl.multi_perform(run->multi, &running);
		while ((m = libcurl.multi_info_read(run->multi, &left))) {
			struct job *j;
			char *pv = NULL;

			if (m->msg != CURLMSG_DONE)
				continue;
			libcurl.easy_getinfo(m->easy_handle, CURLINFO_PRIVATE, &pv);
			j = (struct job *)(void *)pv;
			if (!j)
				continue;
			if (j->state == J_AIA && m->easy_handle == j->aia) {
				libcurl.multi_remove_handle(run->multi, j->aia);
				aia_done(run, j, m->data.result);
			} else if (j->state == J_RUNNING && m->easy_handle == j->easy) {
				libcurl.multi_remove_handle(run->multi, j->easy);
				transfer_done(run, j, m->data.result);
			}
		}
		now = now_ms();
		for (size_t i = 0; i < run->nactive;) {
			struct job *j = run->active[i];
			bool changed = false;

			if (j->state == J_RESOLVING) {
				bool fin;

				pthread_mutex_lock(&j->rs->mu);
				fin = j->rs->done;
				pthread_mutex_unlock(&j->rs->mu);
				if (fin || now - j->t_start > run->timeout_ms) {
					dns_done(run, j, !fin);
					changed = true;
				}
			} else if (j->state == J_RUNNING || j->state == J_AIA) {
				changed = check_deadline(run, j, now);
			}
			/* A job that moved on may have left the active list or
			 * been replaced in this slot: look at the slot again. */
			if (!changed || (i < run->nactive && run->active[i] == j))
				i++;
		}
		done = run->done;
		progress(run, t0, &last, done, njobs, &shown);
		if (done < njobs && run->nactive)
			libcurl.multi_poll(run->multi, NULL, 0, 100, NULL);
	}
	if (shown)
		fputs("\r\033[K", stderr);
	free(run->active);
	run->active = NULL;
}

static void job_free(struct job *j)
{
	free(j->key);
	free(j->method);
	free(j->url);
	free(j->why);
	free_list(j->extra);
	free(j->curl_host);
	net_result_free(&j->r);
}

void net_probe_all(const struct net_target *t, size_t n,
		   const struct net_options *o, struct net_result *results)
{
	struct run run;
	struct job *jobs = xcalloc(n ? n : 1, sizeof(*jobs));
	size_t *job_of = xcalloc(n ? n : 1, sizeof(*job_of));
	size_t njobs = 0;
	struct strmap ix = {0};  /* host key -> job number + 1 */
	double timeout = o->timeout > 0 ? o->timeout : DEFAULT_TIMEOUT_S;

	memset(&run, 0, sizeof(run));
	run.o = o;
	run.timeout_ms = timeout * 1000;
	run.max_body = o->max_body ? o->max_body : DEFAULT_MAX_BODY;
	run.trust_label = o->cacert
		? xasprintf("the system store and --cacert %s", o->cacert)
		: xstrdup("the system store");
	libcurl_need();
	libcurl.global_init(CURL_GLOBAL_DEFAULT);

	for (size_t i = 0; i < n; i++) {
		struct hd_error err = {{0}};
		char *method, *url, *why, **extra, *scheme, *host, *port, *key;
		size_t job;
		CURLU *u;

		result_init(&results[i]);
		results[i].url = xstrdup_or_null(t[i].url);
		results[i].timeout_ms = run.timeout_ms;
		results[i].allow_private = o->allow_private;
		results[i].trust = xstrdup(run.trust_label);
		job_of[i] = SIZE_MAX;
		if (net_probe_plan(t[i].url, t[i].probe, &method, &url, &why,
				   &extra, &err) < 0) {
			results[i].url_error = xstrdup(err.msg);
			results[i].failed = STEP_URL;
			continue;
		}
		u = libcurl.url();
		libcurl.url_set(u, CURLUPART_URL, url, 0);
		scheme = url_part(u, CURLUPART_SCHEME, 0);
#ifdef CURLU_PUNYCODE
		host = url_part(u, CURLUPART_HOST, CURLU_PUNYCODE);
#else
		host = url_part(u, CURLUPART_HOST, 0);
#endif
		if (!host)
			host = url_part(u, CURLUPART_HOST, 0);
		port = url_part(u, CURLUPART_PORT, CURLU_DEFAULT_PORT);
		libcurl.url_cleanup(u);
		key = xasprintf("%s://%s:%s", scheme ? scheme : "",
				host ? host : "", port ? port : "");
		for (char *p = key; *p; p++)
			if (*p >= 'A' && *p <= 'Z')
				*p += 32;
		job = (size_t)(uintptr_t)strmap_get(&ix, key);
		if (job) {
			free(key);
			free(method);
			free(url);
			free(why);
			free_list(extra);
		} else {
			struct job *j = &jobs[njobs];
			size_t hl = host ? strlen(host) : 0;

			j->key = key;
			j->method = method;
			j->url = url;
			j->why = why;
			j->extra = extra;
			j->curl_host = xstrdup(host ? host : "");
			result_init(&j->r);
			j->r.scheme = xstrdup(scheme ? scheme : "");
			j->r.host = hl > 1 && host[0] == '['
				? xstrndup(host + 1, hl - 2) : xstrdup(host ? host : "");
			j->r.port = port ? atoi(port) : 0;
			{
				unsigned char b[16];

				j->r.ip_literal = inet_pton(AF_INET, j->r.host, b) == 1 ||
						  inet_pton(AF_INET6, j->r.host, b) == 1;
			}
			j->r.proxy = env_proxy(j->r.scheme, j->r.host);
			j->r.http_method = xstrdup(method);
			j->r.http_url = xstrdup(url);
			j->r.http_why = xstrdup(why);
			job = ++njobs;
			strmap_put(&ix, j->key, (void *)(uintptr_t)job);
		}
		job_of[i] = job - 1;
		free(scheme);
		free(host);
		free(port);
	}

	if (njobs) {
		run.multi = libcurl.multi_init();
		run.n = xcalloc(1, sizeof(*run.n));
		pthread_mutex_init(&run.n->mu, NULL);
		run.n->refs = 1;
		run.n->multi = run.multi;
		run_loop(&run, jobs, njobs);
		pthread_mutex_lock(&run.n->mu);
		run.n->multi = NULL;
		pthread_mutex_unlock(&run.n->mu);
		notifier_release(run.n);
		libcurl.multi_cleanup(run.multi);
	}

	for (size_t i = 0; i < n; i++) {
		struct net_result *r = &results[i];
		struct net_result keep;

		if (job_of[i] == SIZE_MAX)
			continue;
		keep = *r;
		result_copy(r, &jobs[job_of[i]].r);
		r->url = keep.url;
		r->trust = keep.trust;
		r->timeout_ms = keep.timeout_ms;
		r->allow_private = keep.allow_private;
	}
	for (size_t k = 0; k < njobs; k++)
		job_free(&jobs[k]);
	tls_trust_free(run.trust);
	free(run.trust_label);
	strmap_free(&ix);
	free(job_of);
	free(jobs);
	libcurl.global_cleanup();
}
