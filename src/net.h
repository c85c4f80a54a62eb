/*
 * net.h - the network probe: DNS, TCP, TLS and one HTTP request that
 * writes nothing, for each target host, with timings and the certificate
 * chain inspected through OpenSSL. The probe collects facts once per
 * host (one libcurl handle and one connection per host carry the TCP, TLS
 * and HTTP steps; many hosts at once through the multi interface); checks
 * HD501-HD511 (check_net.c) read them and never touch the network. With
 * http.c, this is the only module that calls libcurl (through libcurl.h,
 * which loads it at the first call here); OpenSSL stays behind tls.h.
 *
 * What is sent: one GET without any of the hook's headers, body, userinfo
 * or query string (so no credential ever leaves), never followed when it
 * is redirected. docs/network.md has the details.
 */
#ifndef HD_NET_H
#define HD_NET_H

#include <stdbool.h>
#include <stddef.h>
#include "util.h"

struct net_options {
	double timeout;          /* per step, seconds (--timeout; 0: 10) */
	const char *cacert;      /* --cacert FILE: extra trust anchors, or NULL */
	bool allow_private;      /* --allow-private (recorded for HD502) */
	size_t max_body;         /* cap on what is read from a response (0: 1 MiB) */
	int concurrency;         /* hosts probed at once (0: 64; capped by RLIMIT_NOFILE) */
	bool progress;           /* may show progress on stderr (a terminal) */
};

struct rule_probe;          /* rules.h: a provider's "probe" rule */

/* What to probe: the hook's rendered target URL and the request its
 * provider's rule file asks for. */
struct net_target {
	const char *url;
	const struct rule_probe *probe;  /* provider->probe, or NULL: GET the
					    target URL itself */
};

enum addr_class {
	ADDR_PUBLIC, ADDR_LOOPBACK, ADDR_PRIVATE, ADDR_LINK_LOCAL, ADDR_CGNAT,
	ADDR_ULA, ADDR_UNSPECIFIED, ADDR_MULTICAST, ADDR_DOCUMENTATION,
	ADDR_RESERVED
};

struct net_addr {
	char text[64];           /* "127.0.0.1", "::1" */
	int family;              /* 4 or 6 */
	enum addr_class cls;
};

struct net_cert {
	char *subject, *issuer;  /* RFC 2253 text */
	char **sans;             /* "DNS:host", "IP:1.2.3.4" */
	size_t nsans;
	char *not_before, *not_after;  /* ISO 8601 UTC */
	long days_left;          /* whole days until not_after; negative when expired */
	bool expired, not_yet_valid;
	bool self_signed;
	char *sha256;            /* fingerprint, hex with colons */
};

/* Why the chain does not verify. */
enum chain_problem {
	CHAIN_OK,
	CHAIN_SELF_SIGNED,          /* the leaf signs itself */
	CHAIN_UNKNOWN_CA,           /* ends at a root that is not trusted */
	CHAIN_MISSING_INTERMEDIATE, /* the server does not send an intermediate
				       (proved by fetching it from the AIA URL) */
	CHAIN_ISSUER_MISSING,       /* an issuer is neither sent nor trusted and
				       could not be fetched: intermediate or CA */
	CHAIN_OTHER                 /* bad signature, wrong purpose, ... */
};

/* The steps, in order; a failure at one step means the later ones were
 * not reached. */
enum net_step {
	STEP_NONE, STEP_URL, STEP_DNS, STEP_CONNECT, STEP_TLS, STEP_HTTP
};

/* Everything learned about one URL. Times are durations of each step in
 * milliseconds, -1 when the step was not reached; a failed step holds the
 * time it took to fail. Strings are malloc'd; free with net_result_free. */
struct net_result {
	char *url;               /* the target URL as given */
	char *url_error;         /* why it cannot be probed, else NULL */
	char *scheme, *host;     /* host without IPv6 brackets */
	int port;
	enum net_step failed;    /* the first step that failed, or STEP_NONE */
	/* The context of the probe, for the checks' messages. */
	bool allow_private;
	char *trust;             /* "the system store" or "... and --cacert F" */
	double timeout_ms;

	/* DNS */
	bool ip_literal;         /* the host is an address: nothing to resolve */
	bool dns_ok;
	char *dns_error;
	struct net_addr *addrs;
	size_t naddrs;
	double t_dns;

	/* TCP */
	char *proxy;             /* the proxy libcurl's environment variables
				    choose for this URL (no userinfo), or NULL */
	bool connect_ok;
	char *connect_error;     /* "connection refused", "no connection within 10 s" */
	char *connected_ip;
	int connected_port;
	double t_connect;

	/* TLS (https only) */
	bool tls_attempted, tls_ok;
	char *tls_error;         /* translated libcurl/OpenSSL message */
	char *tls_version;       /* "TLSv1.3" */
	int tls_version_num;     /* 0x0304; 0 when unknown */
	char *tls_cipher;
	double t_tls;
	bool chain_ok;           /* verified against the store (+ --cacert) */
	enum chain_problem chain_problem;
	char *chain_error;       /* one line, "self-signed certificate", ... */
	char *chain_path;        /* verified path "CN=a < CN=b < CN=root" */
	char *missing_issuer;    /* subject of the certificate not sent */
	char *aia_url;           /* where the missing issuer was looked up */
	bool hostname_ok;
	struct net_cert *certs;  /* peer chain as received, leaf first */
	size_t ncerts;

	/* HTTP (a request that writes nothing) */
	bool http_ok;            /* an HTTP answer (status line) came back */
	char *http_method;       /* "GET" */
	char *http_url;          /* the URL actually requested */
	char *http_why;          /* why that URL: "GitHub API root" */
	char *http_version;      /* "HTTP/1.1", "HTTP/2" */
	long http_status;
	char *http_error;        /* timeout, reset, too large... */
	char *location;          /* Location header of a redirect, as sent */
	char *redirect_url;      /* that Location made absolute */
	bool redirect_loop;      /* it points back at the URL requested */
	size_t body_bytes;       /* bytes read (capped) */
	bool body_truncated;     /* stopped at the cap or the time limit */
	double t_first_byte, t_total;
};

/* Probes every target concurrently (at most o->concurrency hosts at
 * once), one connection per scheme://host:port: targets that share a
 * host share its facts, the HTTP request being the one planned for the
 * first of them. results[i] answers t[i]. Every step is bounded by
 * o->timeout, so the whole run ends within about 4 x timeout x
 * ceil(hosts / concurrency). */
void net_probe_all(const struct net_target *t, size_t n,
		   const struct net_options *o, struct net_result *results);
void net_result_free(struct net_result *r);

/* The request the probe makes for a target, as rule (a provider's
 * "probe" rule, or NULL) says: *method ("GET"), *url (no userinfo, query
 * or fragment), *why (one line) and *headers (extra request headers,
 * "Name: value", a NULL-ended array, or NULL), all malloc'd. Returns 0,
 * or -1 with err set when the URL cannot be probed. */
int net_probe_plan(const char *url, const struct rule_probe *rule,
		   char **method, char **probe_url, char **why, char ***headers,
		   struct hd_error *err);

/* Checks that a --cacert file can be read and holds a certificate.
 * Returns 0, or -1 with err set. */
int net_check_cacert(const char *path, struct hd_error *err);

/* Classifies an address given as text (IPv4 or IPv6, no brackets). */
enum addr_class net_classify(const char *ip);
const char *net_addr_class_name(enum addr_class c);

/* The one-line reason a step failed (STEP_CONNECT, STEP_TLS, or else
 * STEP_HTTP), from libcurl's code, the socket's errno and libcurl's error
 * text, as the probe words it in struct net_result. Caller frees. Public
 * for tests/unit/test_net.c. */
char *net_failure_text(enum net_step step, int code, long os_errno,
		       const char *errbuf);

/* libcurl's version, for --version and report; loads libcurl. NULL, with
 * the reason in *why (if why is not NULL), when it cannot be loaded. */
const char *net_curl_version(const char **why);

#endif
