/*
 * test_net.c - the probe (net.c) and the network checks (check_net.c).
 *
 * Address classes and the request plan are tested as plain functions; the
 * checks on hand-built facts (struct net_result as net.c fills it), so each
 * failure, warning and "skipped: HDnnn failed" is proved without a network;
 * and net_probe_all() against sockets this test opens itself on
 * 127.0.0.1: a closed port, and listeners that never accept, to prove that
 * every step is bounded by the timeout and that hosts run concurrently.
 * The TLS cases need certificates and a server: tests/net/run.py.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>
#include "checks.h"
#include "net.h"
#include "rules.h"
#include "unit.h"

/* --- address classes --- */

TEST(classifies_ipv4_ranges)
{
	EXPECT_INT(net_classify("140.82.112.5"), ADDR_PUBLIC);
	EXPECT_INT(net_classify("127.0.0.1"), ADDR_LOOPBACK);
	EXPECT_INT(net_classify("127.255.0.9"), ADDR_LOOPBACK);
	EXPECT_INT(net_classify("10.1.2.3"), ADDR_PRIVATE);
	EXPECT_INT(net_classify("172.16.0.1"), ADDR_PRIVATE);
	EXPECT_INT(net_classify("172.31.255.255"), ADDR_PRIVATE);
	EXPECT_INT(net_classify("172.32.0.1"), ADDR_PUBLIC);
	EXPECT_INT(net_classify("192.168.1.1"), ADDR_PRIVATE);
	EXPECT_INT(net_classify("169.254.169.254"), ADDR_LINK_LOCAL);
	EXPECT_INT(net_classify("100.64.0.1"), ADDR_CGNAT);
	EXPECT_INT(net_classify("100.127.255.255"), ADDR_CGNAT);
	EXPECT_INT(net_classify("100.128.0.1"), ADDR_PUBLIC);
	EXPECT_INT(net_classify("0.0.0.0"), ADDR_UNSPECIFIED);
	EXPECT_INT(net_classify("224.0.0.1"), ADDR_MULTICAST);
	EXPECT_INT(net_classify("192.0.2.10"), ADDR_DOCUMENTATION);
	EXPECT_INT(net_classify("198.51.100.10"), ADDR_DOCUMENTATION);
	EXPECT_INT(net_classify("203.0.113.10"), ADDR_DOCUMENTATION);
	EXPECT_INT(net_classify("255.255.255.255"), ADDR_RESERVED);
	EXPECT_INT(net_classify("198.18.0.1"), ADDR_RESERVED);
}

TEST(classifies_ipv6_ranges)
{
	EXPECT_INT(net_classify("2606:50c0:8000::154"), ADDR_PUBLIC);
	EXPECT_INT(net_classify("::1"), ADDR_LOOPBACK);
	EXPECT_INT(net_classify("::"), ADDR_UNSPECIFIED);
	EXPECT_INT(net_classify("fd12:3456::1"), ADDR_ULA);
	EXPECT_INT(net_classify("fc00::1"), ADDR_ULA);
	EXPECT_INT(net_classify("fe80::1"), ADDR_LINK_LOCAL);
	EXPECT_INT(net_classify("ff02::1"), ADDR_MULTICAST);
	EXPECT_INT(net_classify("2001:db8::1"), ADDR_DOCUMENTATION);
	EXPECT_INT(net_classify("::ffff:10.0.0.1"), ADDR_PRIVATE);
	EXPECT_INT(net_classify("::ffff:8.8.8.8"), ADDR_PUBLIC);
	EXPECT_INT(net_classify("not an address"), ADDR_RESERVED);
}

/* The edges of each IPv6 range, and addresses that embed an IPv4 one. */
TEST(classifies_ipv6_edges_and_embedded_ipv4)
{
	/* loopback is ::1 only; ::2 and IPv4-compatible ::a.b.c.d are not */
	EXPECT_INT(net_classify("0:0:0:0:0:0:0:1"), ADDR_LOOPBACK);
	EXPECT_INT(net_classify("::2"), ADDR_RESERVED);
	EXPECT_INT(net_classify("::127.0.0.1"), ADDR_RESERVED);
	/* unique local fc00::/7 */
	EXPECT_INT(net_classify("fdff:ffff:ffff:ffff:ffff:ffff:ffff:ffff"), ADDR_ULA);
	EXPECT_INT(net_classify("FD00::1"), ADDR_ULA);
	EXPECT_INT(net_classify("fbff:ffff::1"), ADDR_RESERVED);   /* below it */
	/* link-local fe80::/10, site-local fec0::/10, reserved fe00::/9 */
	EXPECT_INT(net_classify("fe80::1:2:3:4"), ADDR_LINK_LOCAL);
	EXPECT_INT(net_classify("febf:ffff::1"), ADDR_LINK_LOCAL);
	EXPECT_INT(net_classify("fec0::1"), ADDR_PRIVATE);
	EXPECT_INT(net_classify("fe7f::1"), ADDR_RESERVED);
	EXPECT_INT(net_classify("fe00::1"), ADDR_RESERVED);
	/* IPv4-mapped ::ffff:0:0/96: the class of the IPv4 address */
	EXPECT_INT(net_classify("::ffff:10.0.0.1"), ADDR_PRIVATE);
	EXPECT_INT(net_classify("::ffff:a00:1"), ADDR_PRIVATE);
	EXPECT_INT(net_classify("::ffff:127.0.0.1"), ADDR_LOOPBACK);
	EXPECT_INT(net_classify("::ffff:169.254.169.254"), ADDR_LINK_LOCAL);
	EXPECT_INT(net_classify("::ffff:100.64.0.1"), ADDR_CGNAT);
	EXPECT_INT(net_classify("::ffff:0.0.0.0"), ADDR_UNSPECIFIED);
	EXPECT_INT(net_classify("::fffe:10.0.0.1"), ADDR_RESERVED);  /* not mapped */
	/* NAT64 well-known prefix 64:ff9b::/96 likewise; the local-use
	 * 64:ff9b:1::/48 is not reachable from outside */
	EXPECT_INT(net_classify("64:ff9b::8.8.8.8"), ADDR_PUBLIC);
	EXPECT_INT(net_classify("64:ff9b::10.0.0.1"), ADDR_PRIVATE);
	EXPECT_INT(net_classify("64:ff9b::127.0.0.1"), ADDR_LOOPBACK);
	EXPECT_INT(net_classify("64:ff9b::192.0.2.1"), ADDR_DOCUMENTATION);
	EXPECT_INT(net_classify("64:ff9b:1::8.8.8.8"), ADDR_RESERVED);
	/* 6to4 2002::/16 embeds an IPv4 address in its next 32 bits */
	EXPECT_INT(net_classify("2002:0808:0808::1"), ADDR_PUBLIC);
	EXPECT_INT(net_classify("2002:0a00:0001::1"), ADDR_PRIVATE);
	EXPECT_INT(net_classify("2002:7f00:1::1"), ADDR_LOOPBACK);
	/* documentation 2001:db8::/32 and 3fff::/20, and their neighbours */
	EXPECT_INT(net_classify("2001:db8:ffff:ffff::1"), ADDR_DOCUMENTATION);
	EXPECT_INT(net_classify("2001:DB8::"), ADDR_DOCUMENTATION);
	EXPECT_INT(net_classify("2001:db9::1"), ADDR_PUBLIC);
	EXPECT_INT(net_classify("2001:db7:ffff::1"), ADDR_PUBLIC);
	EXPECT_INT(net_classify("3fff:fff::1"), ADDR_DOCUMENTATION);
	EXPECT_INT(net_classify("3fff:1000::1"), ADDR_PUBLIC);
	/* benchmarking 2001:2::/48 */
	EXPECT_INT(net_classify("2001:2::1"), ADDR_RESERVED);
	/* the rest of 2001::/23 (IETF protocol assignments) is not
	 * reachable either, Teredo first, but for IANA's reachable ones */
	EXPECT_INT(net_classify("2001:2:1::1"), ADDR_RESERVED);
	EXPECT_INT(net_classify("2001:0:4136:e378:8000:63bf:3fff:fdd2"),
		   ADDR_RESERVED);                          /* Teredo */
	EXPECT_INT(net_classify("2001:10::1"), ADDR_RESERVED); /* ORCHID */
	EXPECT_INT(net_classify("2001:1ff:ffff::1"), ADDR_RESERVED);
	EXPECT_INT(net_classify("2001:1::1"), ADDR_PUBLIC);    /* PCP */
	EXPECT_INT(net_classify("2001:1::4"), ADDR_RESERVED);
	EXPECT_INT(net_classify("2001:3::1"), ADDR_PUBLIC);    /* AMT */
	EXPECT_INT(net_classify("2001:4:112::1"), ADDR_PUBLIC);
	EXPECT_INT(net_classify("2001:4:113::1"), ADDR_RESERVED);
	EXPECT_INT(net_classify("2001:20::1"), ADDR_PUBLIC);
	EXPECT_INT(net_classify("2001:3f::1"), ADDR_PUBLIC);
	EXPECT_INT(net_classify("2001:40::1"), ADDR_RESERVED);
	/* past the /23: ordinary global unicast */
	EXPECT_INT(net_classify("2001:200::1"), ADDR_PUBLIC);
	EXPECT_INT(net_classify("2001:4860:4860::8888"), ADDR_PUBLIC);
	/* discard 100::/64, multicast, and space outside 2000::/3 */
	EXPECT_INT(net_classify("100::1"), ADDR_RESERVED);
	EXPECT_INT(net_classify("ff05::2"), ADDR_MULTICAST);
	EXPECT_INT(net_classify("4000::1"), ADDR_RESERVED);
	EXPECT_INT(net_classify("5f00::1"), ADDR_RESERVED);
	EXPECT_INT(net_classify("e000::1"), ADDR_RESERVED);
	EXPECT_INT(net_classify("2000::1"), ADDR_PUBLIC);
	EXPECT_INT(net_classify("3ffe:ffff::1"), ADDR_PUBLIC);
	/* text that is no address: brackets, zone IDs */
	EXPECT_INT(net_classify("[::1]"), ADDR_RESERVED);
	EXPECT_INT(net_classify("fe80::1%eth0"), ADDR_RESERVED);
}

/* --- what is requested --- */

/* The provider rules of ./checks (the tests run from the repository
 * root): the request plan comes from their "probe" members. */
static struct rules *R;

static const struct rule_probe *probe_of(const char *provider)
{
	const struct provider *p = R ? rules_find(R, provider) : NULL;

	return p ? p->probe : NULL;
}

static void free_plan(char *m, char *u, char *w, char **h)
{
	free(m);
	free(u);
	free(w);
	for (size_t i = 0; h && h[i]; i++)
		free(h[i]);
	free(h);
}

TEST(plan_never_sends_userinfo_query_or_fragment)
{
	char *m, *u, *w, **h;
	struct hd_error err = {{0}};

	EXPECT(probe_of("gitlab") == NULL);
	EXPECT_INT(net_probe_plan("https://user:pw@git.example.com/api/v4/projects/1/"
				  "statuses/abc?private_token=glpat-x#frag", probe_of("gitlab"),
				  &m, &u, &w, &h, &err), 0);
	EXPECT_STR(m, "GET");
	EXPECT_STR(u, "https://git.example.com/api/v4/projects/1/statuses/abc");
	EXPECT_STR(w, "the target URL itself, without its query string "
		   "(a GET creates nothing)");
	EXPECT(h == NULL);
	free_plan(m, u, w, h);
}

TEST(plan_uses_the_github_api_root)
{
	char *m, *u, *w, **h;
	struct hd_error err = {{0}};
	const struct rule_probe *gh = probe_of("github");

	EXPECT(gh != NULL);
	EXPECT_INT(net_probe_plan("https://api.github.com/repos/o/r/statuses/abc",
				  gh, &m, &u, &w, &h, &err), 0);
	EXPECT_STR(u, "https://api.github.com/");
	EXPECT_STR(w, "the GitHub API root, which answers without credentials");
	EXPECT(h == NULL);
	free_plan(m, u, w, h);
	EXPECT_INT(net_probe_plan("https://ghe.example.com/api/v3/repos/o/r/statuses/abc",
				  gh, &m, &u, &w, &h, &err), 0);
	EXPECT_STR(u, "https://ghe.example.com/api/v3");
	free_plan(m, u, w, h);
	/* api.github.com serves its API at /, whatever the path says */
	EXPECT_INT(net_probe_plan("https://API.GitHub.com/api/v3/repos/o/r/statuses/abc",
				  gh, &m, &u, &w, &h, &err), 0);
	EXPECT_STR(u, "https://API.GitHub.com/");
	free_plan(m, u, w, h);
	/* a GitHub host without /api/v3 (by host or --provider): the root */
	EXPECT_INT(net_probe_plan("https://x.ghe.com/repos/o/r/statuses/abc?t=1",
				  gh, &m, &u, &w, &h, &err), 0);
	EXPECT_STR(u, "https://x.ghe.com/");
	free_plan(m, u, w, h);
}

TEST(plan_asks_azure_for_401_not_a_sign_in_redirect)
{
	char *m, *u, *w, **h;
	struct hd_error err = {{0}};

	EXPECT_INT(net_probe_plan("https://dev.azure.com/o/p/_apis/git/repositories/r/"
				  "commits/abc/statuses?api-version=7.1", probe_of("azure-devops"),
				  &m, &u, &w, &h, &err), 0);
	EXPECT_STR(m, "GET");
	EXPECT_STR(u, "https://dev.azure.com/o/p/_apis/git/repositories/r/"
		   "commits/abc/statuses");
	EXPECT(h != NULL);
	EXPECT_STR(h ? h[0] : NULL, "X-TFS-FedAuthRedirect: Suppress");
	EXPECT(h && h[1] == NULL);
	free_plan(m, u, w, h);
}

TEST(plan_refuses_what_it_cannot_probe)
{
	char *m, *u, *w, **h;
	struct hd_error err = {{0}};

	EXPECT_INT(net_probe_plan("ftp://example.com/x", NULL, &m, &u, &w, &h, &err), -1);
	EXPECT(strstr(err.msg, "ftp") != NULL);
	EXPECT_INT(net_probe_plan("/relative/path", NULL, &m, &u, &w, &h, &err), -1);
	EXPECT_INT(net_probe_plan("", NULL, &m, &u, &w, &h, &err), -1);
	EXPECT_INT(net_probe_plan(NULL, NULL, &m, &u, &w, &h, &err), -1);
}

/* --- checks on hand-built facts --- */

static const struct check_def *def(const char *id)
{
	return check_find(id);
}

/* Runs check id over r; returns its status, message in msg (static). */
static enum check_status run(const char *id, const struct net_result *r,
			     const char **msg)
{
	static char buf[1024];
	struct analysis a;
	struct finding f;
	enum check_status st;

	memset(&a, 0, sizeof(a));
	memset(&f, 0, sizeof(f));
	a.net = r;
	f.def = def(id);
	st = f.def->hook_fn(&a, &f);
	snprintf(buf, sizeof(buf), "%s", f.message ? f.message : "");
	if (msg)
		*msg = buf;
	finding_clear(&f);
	return st;
}

/* A healthy https target, the way net.c fills it. */
static void healthy(struct net_result *r, struct net_cert *cert,
		    struct net_addr *addr)
{
	static char *sans[] = {"DNS:api.example.com"};

	memset(r, 0, sizeof(*r));
	memset(cert, 0, sizeof(*cert));
	memset(addr, 0, sizeof(*addr));
	r->url = "https://api.example.com/x";
	r->scheme = "https";
	r->host = "api.example.com";
	r->port = 443;
	r->trust = "the system store";
	strcpy(addr->text, "140.82.112.5");
	addr->family = 4;
	addr->cls = ADDR_PUBLIC;
	r->dns_ok = true;
	r->addrs = addr;
	r->naddrs = 1;
	r->t_dns = 3;
	r->connect_ok = true;
	r->connected_ip = "140.82.112.5";
	r->t_connect = 20;
	r->tls_attempted = r->tls_ok = true;
	r->tls_version = "TLSv1.3";
	r->tls_version_num = 0x0304;
	r->tls_cipher = "TLS_AES_128_GCM_SHA256";
	r->t_tls = 30;
	r->chain_ok = true;
	r->chain_path = "CN=api.example.com < CN=Some CA";
	r->hostname_ok = true;
	cert->subject = "CN=api.example.com";
	cert->issuer = "CN=Some CA";
	cert->sans = sans;
	cert->nsans = 1;
	cert->not_before = "2025-01-01T00:00:00Z";
	cert->not_after = "2030-01-01T00:00:00Z";
	cert->days_left = 1000;
	r->certs = cert;
	r->ncerts = 1;
	r->http_ok = true;
	r->http_method = "GET";
	r->http_url = "https://api.example.com/x";
	r->http_status = 404;
	r->t_first_byte = 40;
}

TEST(healthy_target_passes_every_check)
{
	struct net_result r;
	struct net_cert c;
	struct net_addr ad;
	const char *ids[] = {"HD501", "HD502", "HD503", "HD504", "HD505", "HD506",
			     "HD507", "HD508", "HD509", "HD510", "HD511"};

	healthy(&r, &c, &ad);
	for (size_t i = 0; i < sizeof(ids) / sizeof(*ids); i++) {
		const char *m;

		if (run(ids[i], &r, &m) != CS_PASS) {
			printf("  %s: %s\n", ids[i], m);
			EXPECT(!"pass");
		}
	}
}

TEST(dns_failure_is_reported_once)
{
	struct net_result r;
	struct net_cert c;
	struct net_addr ad;
	const char *m;

	healthy(&r, &c, &ad);
	r.dns_ok = false;
	r.naddrs = 0;
	r.dns_error = "no such host (NXDOMAIN, or no A/AAAA record)";
	r.failed = STEP_DNS;
	EXPECT_INT(run("HD501", &r, &m), CS_FAIL);
	EXPECT(strstr(m, "NXDOMAIN") && strstr(m, "ms"));
	EXPECT_INT(run("HD502", &r, &m), CS_SKIP);
	EXPECT_STR(m, "skipped: HD501 failed");
	EXPECT_INT(run("HD503", &r, &m), CS_SKIP);
	EXPECT_STR(m, "skipped: HD501 failed");
	EXPECT_INT(run("HD508", &r, &m), CS_SKIP);
	EXPECT_INT(run("HD511", &r, &m), CS_SKIP);
	EXPECT_INT(run("HD510", &r, &m), CS_PASS);
}

TEST(private_address_fails_unless_allowed)
{
	struct net_result r;
	struct net_cert c;
	struct net_addr ad;
	const char *m;

	healthy(&r, &c, &ad);
	strcpy(ad.text, "10.0.0.5");
	ad.cls = ADDR_PRIVATE;
	EXPECT_INT(run("HD502", &r, &m), CS_FAIL);
	EXPECT(strstr(m, "10.0.0.5") && strstr(m, "private"));
	r.allow_private = true;
	EXPECT_INT(run("HD502", &r, &m), CS_WARN);
	EXPECT(strstr(m, "--allow-private") != NULL);
}

TEST(old_tls_fails_and_names_the_protocol)
{
	struct net_result r;
	struct net_cert c;
	struct net_addr ad;
	const char *m;

	healthy(&r, &c, &ad);
	r.tls_version = "TLSv1.1";
	r.tls_version_num = 0x0302;
	EXPECT_INT(run("HD504", &r, &m), CS_FAIL);
	EXPECT(strstr(m, "TLSv1.1") != NULL);
}

TEST(tls_failure_skips_certificate_and_http_checks)
{
	struct net_result r;
	struct net_cert c;
	struct net_addr ad;
	const char *m;

	healthy(&r, &c, &ad);
	r.tls_ok = false;
	r.tls_error = "the server sent a TLS alert: handshake failure";
	r.failed = STEP_TLS;
	r.ncerts = 0;
	EXPECT_INT(run("HD504", &r, &m), CS_FAIL);
	EXPECT(strstr(m, "alert") != NULL);
	EXPECT_INT(run("HD505", &r, &m), CS_SKIP);
	EXPECT(strstr(m, "HD504 failed") != NULL);
	EXPECT_INT(run("HD508", &r, &m), CS_SKIP);
	EXPECT_STR(m, "skipped: HD504 failed");
}

TEST(expiry_warns_within_21_days_and_fails_after)
{
	struct net_result r;
	struct net_cert c;
	struct net_addr ad;
	const char *m;

	healthy(&r, &c, &ad);
	c.days_left = 5;
	EXPECT_INT(run("HD507", &r, &m), CS_WARN);
	EXPECT(strstr(m, "in 5 days") != NULL);
	c.days_left = -3;
	c.expired = true;
	EXPECT_INT(run("HD507", &r, &m), CS_FAIL);
	EXPECT(strstr(m, "3 days ago") != NULL);
}

TEST(hostname_mismatch_names_what_the_certificate_holds)
{
	struct net_result r;
	struct net_cert c;
	struct net_addr ad;
	const char *m;

	healthy(&r, &c, &ad);
	r.hostname_ok = false;
	r.host = "git.example.org";
	EXPECT_INT(run("HD506", &r, &m), CS_FAIL);
	EXPECT(strstr(m, "DNS:api.example.com") && strstr(m, "git.example.org"));
}

TEST(chain_problem_is_the_message)
{
	struct net_result r;
	struct net_cert c;
	struct net_addr ad;
	const char *m;

	healthy(&r, &c, &ad);
	r.chain_ok = false;
	r.chain_problem = CHAIN_MISSING_INTERMEDIATE;
	r.chain_error = "missing intermediate: the server does not send CN=R3";
	EXPECT_INT(run("HD505", &r, &m), CS_FAIL);
	EXPECT(strstr(m, "missing intermediate") != NULL);
}

TEST(redirects_fail_and_loops_say_so)
{
	struct net_result r;
	struct net_cert c;
	struct net_addr ad;
	const char *m;

	healthy(&r, &c, &ad);
	r.http_status = 301;
	r.location = "/elsewhere";
	r.redirect_url = "https://api.example.com/elsewhere";
	EXPECT_INT(run("HD509", &r, &m), CS_FAIL);
	EXPECT(strstr(m, "https://api.example.com/elsewhere") != NULL);
	r.redirect_loop = true;
	EXPECT_INT(run("HD509", &r, &m), CS_FAIL);
	EXPECT(strstr(m, "loop") != NULL);
}

TEST(plain_http_fails_and_skips_tls)
{
	struct net_result r;
	struct net_cert c;
	struct net_addr ad;
	const char *m;

	healthy(&r, &c, &ad);
	r.scheme = "http";
	r.tls_attempted = r.tls_ok = false;
	r.ncerts = 0;
	EXPECT_INT(run("HD510", &r, &m), CS_FAIL);
	EXPECT_INT(run("HD504", &r, &m), CS_SKIP);
	EXPECT(strstr(m, "http://") != NULL);
	EXPECT_INT(run("HD507", &r, &m), CS_SKIP);
	EXPECT_INT(run("HD508", &r, &m), CS_PASS);
}

TEST(slow_answer_warns_with_each_step)
{
	struct net_result r;
	struct net_cert c;
	struct net_addr ad;
	const char *m;

	healthy(&r, &c, &ad);
	r.t_first_byte = 6000;
	EXPECT_INT(run("HD511", &r, &m), CS_WARN);
	EXPECT(strstr(m, "first byte 6.00 s") != NULL);
}

TEST(unusable_url_skips_everything)
{
	struct net_result r;
	const char *m;

	memset(&r, 0, sizeof(r));
	r.url_error = "scheme 'ftp' is neither https nor http";
	r.failed = STEP_URL;
	EXPECT_INT(run("HD501", &r, &m), CS_SKIP);
	EXPECT(strstr(m, "ftp") != NULL);
	EXPECT_INT(run("HD510", &r, &m), CS_SKIP);
	EXPECT_INT(run("HD511", &r, &m), CS_SKIP);
}

/* --- the probe against sockets on 127.0.0.1 --- */

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* A listener that never accepts: the kernel completes the TCP handshake
 * (backlog), nothing ever answers. Returns the fd; *port set. */
static int silent_listener(int *port)
{
	struct sockaddr_in sa;
	socklen_t len = sizeof(sa);
	int fd = socket(AF_INET, SOCK_STREAM, 0);

	memset(&sa, 0, sizeof(sa));
	sa.sin_family = AF_INET;
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (fd < 0 || bind(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0 ||
	    listen(fd, 8) < 0 || getsockname(fd, (struct sockaddr *)&sa, &len) < 0)
		return -1;
	*port = ntohs(sa.sin_port);
	return fd;
}

TEST(closed_port_is_refused_quickly)
{
	struct net_options o = {.timeout = 2, .allow_private = true};
	struct net_target t;
	struct net_result r;
	char url[64];
	int port, fd = silent_listener(&port);

	EXPECT(fd >= 0);
	close(fd);      /* now nothing listens there */
	snprintf(url, sizeof(url), "http://127.0.0.1:%d/", port);
	t.url = url;
	t.probe = NULL;
	net_probe_all(&t, 1, &o, &r);
	EXPECT(r.dns_ok && r.ip_literal);
	EXPECT(!r.connect_ok);
	EXPECT_INT(r.failed, STEP_CONNECT);
	EXPECT(r.connect_error && strstr(r.connect_error, "refused"));
	EXPECT(r.t_connect >= 0 && r.t_connect < 1000);
	net_result_free(&r);
}

TEST(silent_server_is_bounded_by_the_timeout)
{
	struct net_options o = {.timeout = 0.3};
	struct net_target t;
	struct net_result r;
	char url[64];
	int port, fd = silent_listener(&port);
	double t0;

	EXPECT(fd >= 0);
	snprintf(url, sizeof(url), "http://127.0.0.1:%d/hook?token=x", port);
	t.url = url;
	t.probe = NULL;
	t0 = now_s();
	net_probe_all(&t, 1, &o, &r);
	EXPECT(now_s() - t0 < 1.5);
	EXPECT(r.connect_ok);
	EXPECT(!r.http_ok);
	EXPECT_INT(r.failed, STEP_HTTP);
	EXPECT(r.http_error && strstr(r.http_error, "no answer within"));
	EXPECT(r.http_url && !strstr(r.http_url, "token"));
	EXPECT_STR(r.url, url);
	net_result_free(&r);
	close(fd);
}

TEST(many_hosts_run_concurrently_in_input_order)
{
	enum { N = 20 };
	struct net_options o = {.timeout = 0.3};
	struct net_target t[N + 1];
	struct net_result r[N + 1];
	char urls[N][64];
	int fds[N], ports[N];
	double t0, took;

	for (int i = 0; i < N; i++) {
		fds[i] = silent_listener(&ports[i]);
		snprintf(urls[i], sizeof(urls[i]), "http://127.0.0.1:%d/", ports[i]);
		t[i].url = urls[i];
		t[i].probe = NULL;
	}
	t[N].url = urls[3];         /* the same host again: probed once */
	t[N].probe = NULL;
	t0 = now_s();
	net_probe_all(t, N + 1, &o, r);
	took = now_s() - t0;
	/* One after another would take N x 0.3 s = 6 s; 64 at a time, one
	 * round. */
	if (took > 2.0)
		printf("  took %.2f s\n", took);
	EXPECT(took < 2.0);
	for (int i = 0; i <= N; i++) {
		EXPECT_INT(r[i].port, ports[i < N ? i : 3]);
		EXPECT_INT(r[i].failed, STEP_HTTP);
	}
	EXPECT_STR(r[N].url, urls[3]);
	for (int i = 0; i <= N; i++)
		net_result_free(&r[i]);
	for (int i = 0; i < N; i++)
		close(fds[i]);
}

/* Each host in flight may hold 5 descriptors; a low limit on open files
 * lowers the hosts probed at once instead of failing them. */
TEST(open_file_limit_bounds_the_hosts_in_flight)
{
	enum { N = 6 };
	struct net_options o = {.timeout = 0.3};
	struct net_target t[N];
	struct net_result r[N];
	char urls[N][64];
	int fds[N], ports[N];
	struct rlimit old, low;
	double t0, took;

	for (int i = 0; i < N; i++) {
		fds[i] = silent_listener(&ports[i]);
		snprintf(urls[i], sizeof(urls[i]), "http://127.0.0.1:%d/", ports[i]);
		t[i].url = urls[i];
		t[i].probe = NULL;
	}
	EXPECT(getrlimit(RLIMIT_NOFILE, &old) == 0);
	low = old;
	low.rlim_cur = 64 + 2 * 5;      /* room for two hosts at once */
	EXPECT(setrlimit(RLIMIT_NOFILE, &low) == 0);
	t0 = now_s();
	net_probe_all(t, N, &o, r);
	took = now_s() - t0;
	setrlimit(RLIMIT_NOFILE, &old);
	/* Two at a time: three rounds of 0.3 s, not one. */
	if (took < 0.8)
		printf("  took %.2f s\n", took);
	EXPECT(took >= 0.8);
	for (int i = 0; i < N; i++) {
		EXPECT_INT(r[i].failed, STEP_HTTP);
		net_result_free(&r[i]);
		close(fds[i]);
	}
}

/* A reset is named as one however it reaches libcurl: as ECONNRESET, or,
 * when it comes right after the connect, as libcurl's own getpeername()
 * failing with ENOTCONN (seen in CI on tests/net's "reset" server). The
 * codes are libcurl's: 35 CURLE_SSL_CONNECT_ERROR, 7 CURLE_COULDNT_CONNECT,
 * 56 CURLE_RECV_ERROR. */
TEST(a_reset_is_named_a_reset_at_every_step)
{
	static const char getpeername_eb[] =
		"getpeername() failed with errno 107: Transport endpoint is not connected";
	char *t;

	t = net_failure_text(STEP_TLS, 35, ENOTCONN, getpeername_eb);
	EXPECT_STR(t, "connection reset by the server during the TLS handshake");
	free(t);
	t = net_failure_text(STEP_TLS, 35, 0, getpeername_eb);
	EXPECT_STR(t, "connection reset by the server during the TLS handshake");
	free(t);
	t = net_failure_text(STEP_TLS, 35, ECONNRESET, "");
	EXPECT_STR(t, "connection reset by the server during the TLS handshake");
	free(t);
	t = net_failure_text(STEP_CONNECT, 7, ENOTCONN, getpeername_eb);
	EXPECT_STR(t, "connection reset");
	free(t);
	t = net_failure_text(STEP_HTTP, 56, ENOTCONN, getpeername_eb);
	EXPECT_STR(t, "connection reset by the server before it answered");
	free(t);
	/* and what is not a reset is not called one */
	t = net_failure_text(STEP_TLS, 35, 0, "error:0A00010B:SSL routines::wrong version number");
	EXPECT(strstr(t, "reset") == NULL);
	free(t);
}

int main(void)
{
	struct hd_error err = {{0}};
	int rc;

	R = rules_load("checks", &err);
	if (!R) {
		printf("not ok - cannot load ./checks: %s\n", err.msg);
		return 1;
	}
	RUN(classifies_ipv4_ranges);
	RUN(classifies_ipv6_ranges);
	RUN(classifies_ipv6_edges_and_embedded_ipv4);
	RUN(plan_never_sends_userinfo_query_or_fragment);
	RUN(plan_uses_the_github_api_root);
	RUN(plan_asks_azure_for_401_not_a_sign_in_redirect);
	RUN(plan_refuses_what_it_cannot_probe);
	RUN(healthy_target_passes_every_check);
	RUN(dns_failure_is_reported_once);
	RUN(private_address_fails_unless_allowed);
	RUN(old_tls_fails_and_names_the_protocol);
	RUN(tls_failure_skips_certificate_and_http_checks);
	RUN(expiry_warns_within_21_days_and_fails_after);
	RUN(hostname_mismatch_names_what_the_certificate_holds);
	RUN(chain_problem_is_the_message);
	RUN(redirects_fail_and_loops_say_so);
	RUN(plain_http_fails_and_skips_tls);
	RUN(slow_answer_warns_with_each_step);
	RUN(unusable_url_skips_everything);
	RUN(closed_port_is_refused_quickly);
	RUN(silent_server_is_bounded_by_the_timeout);
	RUN(many_hosts_run_concurrently_in_input_order);
	RUN(open_file_limit_bounds_the_hosts_in_flight);
	RUN(a_reset_is_named_a_reset_at_every_step);
	rc = unit_done();
	rules_free(R);
	return rc;
}
