/*
 * check_net.c - HD501-HD511, network and TLS: pure functions over the
 * facts the probe (net.c) collected in a->net. They never touch the
 * network. One root cause is reported once: a check whose step was not
 * reached says "skipped: HDnnn failed" naming the check that failed.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "checks.h"
#include "net.h"
#include "util.h"

#define LATENCY_WARN_MS 5000.0
#define EXPIRY_WARN_DAYS 21

/* "0.4 ms", "12 ms", "2.35 s" */
static void dur(char *buf, size_t n, double ms)
{
	if (ms < 0)
		snprintf(buf, n, "?");
	else if (ms < 10)
		snprintf(buf, n, "%.1f ms", ms);
	else if (ms < 1000)
		snprintf(buf, n, "%.0f ms", ms);
	else
		snprintf(buf, n, "%.2f s", ms / 1000);
}

static void ev_ms(struct finding *f, const char *key, double ms)
{
	if (ms >= 0)
		finding_evf(f, key, "%.1f", ms);
}

static bool is_http(const struct net_result *r)
{
	return r->scheme && strcmp(r->scheme, "http") == 0;
}

/* Why a step cannot be judged, or NULL. upto: the step the check needs. */
static enum check_status skip_upstream(const struct net_result *r,
				       enum net_step upto, struct finding *f,
				       bool *skipped)
{
	*skipped = true;
	if (!r)
		return finding_skip(f, "skipped: the target was not probed");
	if (r->url_error)
		return finding_skip(f, "skipped: the target URL cannot be probed: %s",
				    r->url_error);
	if (r->failed == STEP_DNS && upto > STEP_DNS)
		return finding_skip(f, "skipped: HD501 failed");
	if (r->failed == STEP_CONNECT && upto > STEP_CONNECT)
		return finding_skip(f, "skipped: HD503 failed");
	if (r->failed == STEP_TLS && upto > STEP_TLS)
		return finding_skip(f, "skipped: HD504 failed");
	*skipped = false;
	return CS_SKIP;
}

#define SKIP_UNLESS_REACHED(r, step)                                   \
	do {                                                           \
		bool skipped_;                                         \
		enum check_status st_ = skip_upstream(r, step, f, &skipped_); \
		if (skipped_)                                          \
			return st_;                                    \
	} while (0)

/* The TLS checks on certificates: skip for http and when none came. */
static bool cert_skip(const struct net_result *r, struct finding *f,
		      enum check_status *st)
{
	bool skipped;

	*st = skip_upstream(r, STEP_TLS, f, &skipped);
	if (skipped)
		return true;
	if (is_http(r)) {
		*st = finding_skip(f, "skipped: http:// target, no TLS (see HD510)");
		return true;
	}
	if (!r->ncerts) {
		*st = r->failed == STEP_TLS
			? finding_skip(f, "skipped: HD504 failed before a "
					  "certificate was received")
			: finding_skip(f, "skipped: no certificate was received");
		return true;
	}
	return false;
}

static char *addr_list(const struct net_result *r, int family, bool with_class)
{
	struct sbuf b = {0};

	for (size_t i = 0; i < r->naddrs; i++) {
		if (family && r->addrs[i].family != family)
			continue;
		sbuf_addf(&b, "%s%s", b.len ? ", " : "", r->addrs[i].text);
		if (with_class)
			sbuf_addf(&b, " (%s)", net_addr_class_name(r->addrs[i].cls));
	}
	return sbuf_detach(&b);
}

HOOK_CHECK(hd501)
{
	const struct net_result *r = a->net;
	char t[32], *all, *v4, *v6;

	SKIP_UNLESS_REACHED(r, STEP_DNS);
	finding_ev(f, "host", r->host);
	if (r->ip_literal)
		return finding_pass(f, "%s is an address: nothing to resolve",
				    r->host);
	dur(t, sizeof(t), r->t_dns);
	ev_ms(f, "time_ms", r->t_dns);
	if (!r->dns_ok) {
		finding_hint(f, "check the host name in target_url for a typo; "
			     "Devopness resolves it on the internet, so a name "
			     "only your own network's DNS knows fails there too");
		return finding_problem(f, "%s: %s (after %s)", r->host,
				       r->dns_error ? r->dns_error : "does not resolve", t);
	}
	all = addr_list(r, 0, false);
	v4 = addr_list(r, 4, false);
	v6 = addr_list(r, 6, false);
	finding_ev(f, "A", *v4 ? v4 : "none");
	finding_ev(f, "AAAA", *v6 ? v6 : "none");
	finding_pass(f, "%s resolves to %s in %s", r->host, all, t);
	free(all);
	free(v4);
	free(v6);
	return f->status;
}

HOOK_CHECK(hd502)
{
	const struct net_result *r = a->net;
	struct sbuf bad = {0};
	char *all;

	SKIP_UNLESS_REACHED(r, STEP_DNS);
	if (!r->dns_ok)
		return finding_skip(f, "skipped: HD501 failed");
	all = addr_list(r, 0, true);
	finding_ev(f, "addresses", all);
	free(all);
	for (size_t i = 0; i < r->naddrs; i++)
		if (r->addrs[i].cls != ADDR_PUBLIC)
			sbuf_addf(&bad, "%s%s is %s", bad.len ? ", " : "",
				  r->addrs[i].text,
				  net_addr_class_name(r->addrs[i].cls));
	if (!bad.len) {
		sbuf_free(&bad);
		return finding_pass(f, "every address of %s is public", r->host);
	}
	finding_hint(f, "publish the endpoint on a public address (or put a "
		     "reverse proxy with one in front of it); --allow-private "
		     "accepts private targets for local tests");
	if (r->allow_private)
		finding_warn(f, "%s: Devopness cannot reach it from the "
			     "internet (accepted with --allow-private)", bad.s);
	else
		finding_problem(f, "%s: Devopness cannot reach it from the "
				"internet", bad.s);
	sbuf_free(&bad);
	return f->status;
}

HOOK_CHECK(hd503)
{
	const struct net_result *r = a->net;
	char t[32];

	SKIP_UNLESS_REACHED(r, STEP_CONNECT);
	dur(t, sizeof(t), r->t_connect);
	ev_ms(f, "time_ms", r->t_connect);
	finding_evf(f, "port", "%d", r->port);
	if (r->proxy)
		finding_ev(f, "proxy", r->proxy);
	if (!r->connect_ok) {
		const char *e = r->connect_error ? r->connect_error : "no connection";

		if (r->proxy) {
			finding_hint(f, "the proxy comes from the environment "
				     "(https_proxy, HTTPS_PROXY, all_proxy...): check "
				     "it, or exempt %s with NO_PROXY", r->host);
			return finding_problem(f, "the proxy %s: %s (after %s)",
					       r->proxy, e, t);
		}
		if (strstr(e, "refused"))
			finding_hint(f, "nothing listens on port %d of %s: check "
				     "the port in target_url and that the service "
				     "is up", r->port, r->host);
		else
			finding_hint(f, "a firewall may drop the connection: "
				     "Devopness connects from the internet, so port "
				     "%d must be open to it", r->port);
		return finding_problem(f, "%s port %d: %s (after %s)", r->host,
				       r->port, e, t);
	}
	finding_ev(f, "connected_ip", r->connected_ip);
	if (r->proxy)
		return finding_pass(f, "connected through the proxy %s in %s",
				    r->proxy, t);
	return finding_pass(f, "connected to %s port %d in %s",
			    r->connected_ip ? r->connected_ip : r->host,
			    r->connected_port ? r->connected_port : r->port, t);
}

HOOK_CHECK(hd504)
{
	const struct net_result *r = a->net;
	char t[32];

	SKIP_UNLESS_REACHED(r, STEP_TLS);
	if (is_http(r))
		return finding_skip(f, "skipped: http:// target, no TLS (see HD510)");
	dur(t, sizeof(t), r->t_tls);
	ev_ms(f, "time_ms", r->t_tls);
	if (r->tls_version)
		finding_ev(f, "protocol", r->tls_version);
	if (r->tls_cipher)
		finding_ev(f, "cipher", r->tls_cipher);
	if (!r->tls_ok) {
		finding_hint(f, "check that this port serves HTTPS and that the "
			     "server accepts TLS 1.2 or 1.3 with current ciphers");
		return finding_problem(f, "%s (after %s)",
				       r->tls_error ? r->tls_error : "handshake failed", t);
	}
	if (r->tls_version_num && r->tls_version_num < 0x0303) {
		finding_hint(f, "enable TLS 1.2 and 1.3 on the server: clients "
			     "refuse older protocols");
		return finding_problem(f, "%s is older than TLS 1.2 (%s)",
				       r->tls_version, r->tls_cipher ? r->tls_cipher : "");
	}
	return finding_pass(f, "%s, %s in %s",
			    r->tls_version ? r->tls_version : "TLS",
			    r->tls_cipher ? r->tls_cipher : "cipher unknown", t);
}

static char *chain_list(const struct net_result *r)
{
	struct sbuf b = {0};

	for (size_t i = 0; i < r->ncerts; i++)
		sbuf_addf(&b, "%s%s", i ? " | " : "", r->certs[i].subject);
	return sbuf_detach(&b);
}

HOOK_CHECK(hd505)
{
	const struct net_result *r = a->net;
	enum check_status st;
	char *sent;

	if (cert_skip(r, f, &st))
		return st;
	sent = chain_list(r);
	finding_ev(f, "chain_sent", sent);
	free(sent);
	finding_ev(f, "subject", r->certs[0].subject);
	finding_ev(f, "issuer", r->certs[0].issuer);
	if (r->certs[0].sha256)
		finding_ev(f, "sha256", r->certs[0].sha256);
	finding_ev(f, "trusted_by", r->trust);
	if (r->chain_path && *r->chain_path)
		finding_ev(f, "chain_built", r->chain_path);
	if (r->missing_issuer)
		finding_ev(f, "missing_issuer", r->missing_issuer);
	if (r->aia_url)
		finding_ev(f, "aia_url", r->aia_url);
	if (a->hook && a->hook->verify_ssl == 0)
		finding_ev(f, "verify_ssl", "false: Devopness would not check "
			   "this, and would not notice an impostor either (HD112)");
	if (r->chain_ok)
		return finding_pass(f, "the chain verifies: %s, against %s",
				    r->chain_path ? r->chain_path : "?", r->trust);
	switch (r->chain_problem) {
	case CHAIN_SELF_SIGNED:
		finding_hint(f, "use a certificate from a public CA (Let's "
			     "Encrypt is free); --cacert FILE trusts it for this "
			     "run only");
		break;
	case CHAIN_UNKNOWN_CA:
		finding_hint(f, "use a certificate from a CA in the public trust "
			     "stores: a private CA is unknown to Devopness "
			     "(--cacert FILE trusts it for this run only)");
		break;
	case CHAIN_MISSING_INTERMEDIATE:
		finding_hint(f, "serve the full chain, the certificate followed "
			     "by its intermediate (fullchain.pem with Let's "
			     "Encrypt; ssl_certificate in nginx): browsers fetch a "
			     "missing intermediate, HTTP clients do not");
		break;
	case CHAIN_ISSUER_MISSING:
		finding_hint(f, "serve the full chain (the certificate followed by "
			     "its intermediates); if the CA is private, use a "
			     "public one (--cacert FILE trusts it for this run)");
		break;
	default:
		finding_hint(f, "replace the certificate with one a public CA "
			     "issued for this server");
		break;
	}
	return finding_problem(f, "%s", r->chain_error ? r->chain_error
						      : "the chain does not verify");
}

static char *san_list(const struct net_cert *c)
{
	struct sbuf b = {0};

	for (size_t i = 0; i < c->nsans; i++)
		sbuf_addf(&b, "%s%s", i ? ", " : "", c->sans[i]);
	return sbuf_detach(&b);
}

HOOK_CHECK(hd506)
{
	const struct net_result *r = a->net;
	enum check_status st;
	char *sans;

	if (cert_skip(r, f, &st))
		return st;
	sans = san_list(&r->certs[0]);
	finding_ev(f, "subject", r->certs[0].subject);
	finding_ev(f, "subject_alt_names", *sans ? sans : "none");
	if (r->hostname_ok)
		finding_pass(f, "the certificate names %s", r->host);
	else {
		finding_hint(f, "use a certificate whose subjectAltName lists %s, "
			     "or the host name the certificate was issued for",
			     r->host);
		finding_problem(f, "the certificate names %s, not %s",
				*sans ? sans : r->certs[0].subject, r->host);
	}
	free(sans);
	return f->status;
}

HOOK_CHECK(hd507)
{
	const struct net_result *r = a->net;
	const struct net_cert *worst = NULL, *leaf;
	enum check_status st;

	if (cert_skip(r, f, &st))
		return st;
	leaf = &r->certs[0];
	finding_ev(f, "not_before", leaf->not_before);
	finding_ev(f, "not_after", leaf->not_after);
	finding_evf(f, "days_left", "%ld", leaf->days_left);
	/* The certificate that fails first decides; the leaf on a tie. */
	for (size_t i = 0; i < r->ncerts; i++) {
		const struct net_cert *c = &r->certs[i];

		if (c->not_yet_valid) {
			finding_ev(f, "certificate", c->subject);
			finding_hint(f, "check the server's clock and the "
				     "certificate's dates; reissue it");
			return finding_problem(f, "%s is not valid before %s",
					       i ? "an intermediate" : "the certificate",
					       c->not_before);
		}
		if (!worst || c->days_left < worst->days_left ||
		    (c->expired && !worst->expired))
			worst = c;
	}
	if (worst != leaf) {
		finding_ev(f, "certificate", worst->subject);
		finding_ev(f, "certificate_not_after", worst->not_after);
	}
	if (worst->expired) {
		finding_hint(f, "renew the certificate (and automate renewal, "
			     "e.g. certbot or your load balancer's managed "
			     "certificates)");
		return finding_problem(f, "%s expired on %s (%ld day%s ago)",
				       worst == leaf ? "the certificate" : worst->subject,
				       worst->not_after, -worst->days_left,
				       worst->days_left == -1 ? "" : "s");
	}
	if (worst->days_left < EXPIRY_WARN_DAYS) {
		finding_hint(f, "renew the certificate now; statuses stop the "
			     "day it expires");
		return finding_warn(f, "%s expires on %s, in %ld day%s",
				    worst == leaf ? "the certificate" : worst->subject,
				    worst->not_after, worst->days_left,
				    worst->days_left == 1 ? "" : "s");
	}
	return finding_pass(f, "valid until %s (%ld days left)", leaf->not_after,
			    leaf->days_left);
}

HOOK_CHECK(hd508)
{
	const struct net_result *r = a->net;
	char t[32];

	SKIP_UNLESS_REACHED(r, STEP_HTTP);
	finding_ev(f, "request", r->http_method);
	finding_ev(f, "url", r->http_url);
	finding_ev(f, "why_this_url", r->http_why);
	dur(t, sizeof(t), r->t_first_byte);
	ev_ms(f, "first_byte_ms", r->t_first_byte);
	if (!r->http_ok) {
		finding_hint(f, "Devopness's POST gets no answer either: check "
			     "the service behind the port (is it up? does a proxy "
			     "in front of it answer?)");
		return finding_problem(f, "%s %s: %s (after %s)", r->http_method,
				       r->http_url, r->http_error ? r->http_error
							  : "no answer", t);
	}
	finding_evf(f, "status", "%ld", r->http_status);
	if (r->http_version)
		finding_ev(f, "http_version", r->http_version);
	finding_evf(f, "body_bytes_read", "%zu", r->body_bytes);
	if (r->body_truncated) {
		finding_hint(f, "the server streams without end: check what "
			     "answers on this URL (a misconfigured proxy?)");
		return finding_warn(f, "%s %s answered %ld in %s, but the body "
				    "does not end: %s", r->http_method, r->http_url,
				    r->http_status, t,
				    r->http_error ? r->http_error : "stopped reading");
	}
	if (r->http_error) {
		finding_hint(f, "the answer broke off: check the server's logs");
		return finding_warn(f, "%s %s answered %ld in %s, then: %s",
				    r->http_method, r->http_url, r->http_status,
				    t, r->http_error);
	}
	if (r->http_status >= 500) {
		finding_hint(f, "the server answers with an error: Devopness's "
			     "POST will likely fail too; check its logs");
		return finding_warn(f, "%s %s answered %ld (server error) in %s",
				    r->http_method, r->http_url, r->http_status, t);
	}
	return finding_pass(f, "%s %s answered %ld in %s", r->http_method,
			    r->http_url, r->http_status, t);
}

HOOK_CHECK(hd509)
{
	const struct net_result *r = a->net;

	SKIP_UNLESS_REACHED(r, STEP_HTTP);
	if (!r->http_ok)
		return finding_skip(f, "skipped: HD508 failed");
	if (!r->location)
		return finding_pass(f, "no redirect (%s %s answered %ld)",
				    r->http_method, r->http_url, r->http_status);
	finding_evf(f, "status", "%ld", r->http_status);
	finding_ev(f, "location", r->location);
	finding_ev(f, "redirect_url", r->redirect_url);
	if (r->redirect_loop) {
		finding_hint(f, "fix the server's redirect rules; then use the "
			     "URL that answers without a redirect in target_url");
		return finding_problem(f, "%ld redirect to %s: the same URL, a "
				       "redirect loop", r->http_status,
				       r->redirect_url);
	}
	finding_hint(f, "put the final URL in target_url: a redirected POST "
		     "loses its body or becomes a GET, so no status is created");
	return finding_problem(f, "%ld redirect to %s", r->http_status,
			       r->redirect_url ? r->redirect_url : r->location);
}

HOOK_CHECK(hd510)
{
	const struct net_result *r = a->net;

	if (!r)
		return finding_skip(f, "skipped: the target was not probed");
	if (r->url_error || !r->scheme)
		return finding_skip(f, "skipped: the target URL cannot be probed: %s",
				    r->url_error ? r->url_error : "no scheme");
	if (!is_http(r))
		return finding_pass(f, "https: the token is encrypted on the way");
	if (r->redirect_url && strncmp(r->redirect_url, "https://", 8) == 0)
		finding_hint(f, "the server redirects to %s: use https:// in "
			     "target_url", r->redirect_url);
	else
		finding_hint(f, "use https:// in target_url");
	return finding_problem(f, "http:// target: the token would cross the "
			       "network in clear text");
}

HOOK_CHECK(hd511)
{
	const struct net_result *r = a->net;
	double total = 0;
	char t[32], d[32], c[32], s[32], b[32];

	SKIP_UNLESS_REACHED(r, STEP_HTTP);
	if (!r->http_ok)
		return finding_skip(f, "skipped: HD508 failed");
	total = (r->t_dns > 0 ? r->t_dns : 0) + r->t_connect +
		(r->t_tls > 0 ? r->t_tls : 0) + r->t_first_byte;
	dur(t, sizeof(t), total);
	dur(d, sizeof(d), r->t_dns > 0 ? r->t_dns : 0);
	dur(c, sizeof(c), r->t_connect);
	dur(s, sizeof(s), r->t_tls > 0 ? r->t_tls : 0);
	dur(b, sizeof(b), r->t_first_byte);
	ev_ms(f, "dns_ms", r->t_dns > 0 ? r->t_dns : 0);
	ev_ms(f, "connect_ms", r->t_connect);
	if (!is_http(r))
		ev_ms(f, "tls_ms", r->t_tls);
	ev_ms(f, "first_byte_ms", r->t_first_byte);
	ev_ms(f, "total_ms", total);
	if (total > LATENCY_WARN_MS) {
		finding_hint(f, "a slow endpoint delays every status; check the "
			     "server's load and the network path to it");
		return finding_problem(f, "the answer took %s, over 5 s (DNS %s, "
				       "connect %s, TLS %s, first byte %s)",
				       t, d, c, s, b);
	}
	if (is_http(r))
		return finding_pass(f, "answered in %s (DNS %s, connect %s, first "
				    "byte %s)", t, d, c, b);
	return finding_pass(f, "answered in %s (DNS %s, connect %s, TLS %s, "
			    "first byte %s)", t, d, c, s, b);
}
