/*
 * net.h - the network probe: DNS, TCP, TLS and one HTTP request that
 * writes nothing, for each target host, with timings and the certificate
 * chain inspected through OpenSSL. The probe collects facts once per
 * host (one libcurl handle and connection per host, reused for every
 * step; many hosts at once through the multi interface); checks HD501-HD511
 * read them and never touch the network. This is the only module that
 * includes curl.h (besides the version string in cmd_info.c) and, through
 * tls.c, OpenSSL's x509 API.
 */
#ifndef HD_NET_H
#define HD_NET_H

#include <stdbool.h>
#include <stddef.h>
#include "util.h"

struct net_options {
	double timeout;          /* per step, seconds (--timeout, default 10) */
	const char *cacert;      /* --cacert FILE: an extra trust anchor */
	bool allow_private;      /* --allow-private */
	bool verify_ssl;         /* false when the hook sets verify_ssl: false */
	size_t max_body;         /* cap on what is read from a response */
	int concurrency;         /* multi interface: probes at once (16) */
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
	char *subject, *issuer;
	char **sans;             /* DNS and IP SANs */
	size_t nsans;
	char *not_before, *not_after;  /* ISO 8601 UTC */
	long days_left;          /* negative when expired */
	bool self_signed;
};

/* Everything learned about one URL. Times are in milliseconds, -1 when
 * the step was not reached. Strings are malloc'd; free with net_result_free. */
struct net_result {
	char *url;               /* the probed URL (query kept, redacted on output) */
	char *scheme, *host;
	int port;

	/* DNS */
	bool dns_ok;
	char *dns_error;
	struct net_addr *addrs;
	size_t naddrs;
	double t_dns;

	/* TCP */
	bool connect_ok;
	char *connect_error;     /* "connection refused", "timed out after 10 s" */
	char *connected_ip;
	double t_connect;

	/* TLS (https only) */
	bool tls_attempted, tls_ok;
	char *tls_error;         /* libcurl/OpenSSL message, translated */
	char *tls_version;       /* "TLSv1.3" */
	char *tls_cipher;
	double t_tls;
	bool chain_ok;           /* verified against the store (+ --cacert) */
	char *chain_error;       /* "self-signed", "unknown CA", "missing intermediate: <issuer>" */
	bool hostname_ok;
	struct net_cert *certs;  /* peer chain as received, leaf first */
	size_t ncerts;

	/* HTTP (a request that writes nothing) */
	bool http_ok;
	char *http_method;       /* "GET", "HEAD", "OPTIONS" */
	char *http_url;          /* the URL actually requested */
	long http_status;
	char *http_error;        /* timeout, reset, too large... */
	char *location;          /* Location of a redirect */
	size_t body_bytes;       /* bytes read (capped) */
	bool body_truncated;
	double t_first_byte, t_total;
};

/* Probes every URL concurrently (bounded), one connection per host;
 * results[i] answers urls[i]. Never blocks longer than about
 * timeout x steps. */
void net_probe_all(const char *const *urls, size_t n,
		   const struct net_options *o, struct net_result *results);
void net_result_free(struct net_result *r);

/* Classifies an address given as text. */
enum addr_class net_classify(const char *ip);
const char *net_addr_class_name(enum addr_class c);

/* libcurl's version, for --version. */
const char *net_curl_version(void);

#endif
