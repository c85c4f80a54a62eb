/*
 * tls.c - certificate inspection with OpenSSL, for the probe (net.c).
 *
 * libcurl does the handshake with verification off; a certificate-verify
 * hook on its SSL_CTX keeps a copy of the chain the server sent, the
 * protocol and the cipher, and accepts the chain. Everything is judged
 * afterwards, here, with X509_verify_cert() against the default store plus
 * --cacert: trust (with time checks off, so an expired certificate is
 * HD507's finding, not HD505's), host name, dates. A missing issuer is
 * looked up at the certificate's AIA URL (fetched by net.c) to tell a
 * missing intermediate from an unknown CA. This module does no I/O but
 * reading the --cacert file, and never prints.
 */
#include "tls.h"

#include <arpa/inet.h>
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include "openssl.h"
#include "util.h"

struct tls_capture {
	STACK_OF(X509) *chain;  /* as received, leaf first; owned */
	char version[32];
	int version_num;
	char cipher[128];
};

/* Two tiers, one trust set: the lazy hashed directory and --cacert
 * first; the bundle file (SSL_CERT_FILE) is parsed only when a chain
 * fails without it, since parsing it costs more than a whole probe. */
struct verdict;
struct seen;

struct tls_trust {
	X509_STORE *store;      /* hashed directory + --cacert */
	X509_STORE *full;       /* store + bundle, built on demand */
	char *dir, *file, *cacert;
	bool full_tried;
	struct seen *seen;      /* chains already verified, and their verdict */
	size_t nseen;
};

/* OpenSSL's STACK_OF() macros call the library directly; these go
 * through the table (openssl.h) instead, with the stack passed as what
 * it is underneath (an OPENSSL_STACK), as the macros pass it. */
static int stack_num(const void *s)
{
	return openssl.OPENSSL_sk_num(s);
}

static void *stack_value(const void *s, int i)
{
	return openssl.OPENSSL_sk_value(s, i);
}

static STACK_OF(X509) *certs_new(void)
{
	return (STACK_OF(X509) *)openssl.OPENSSL_sk_new_null();
}

static void certs_push(STACK_OF(X509) *s, X509 *x)
{
	openssl.OPENSSL_sk_push((OPENSSL_STACK *)s, x);
}

static STACK_OF(X509) *certs_dup(const STACK_OF(X509) *s)
{
	const OPENSSL_STACK *st = (const OPENSSL_STACK *)s;

	return (STACK_OF(X509) *)openssl.OPENSSL_sk_dup(st);
}

/* Frees the stack, not the certificates. */
static void certs_free(STACK_OF(X509) *s)
{
	openssl.OPENSSL_sk_free((OPENSSL_STACK *)s);
}

static void free_x509(void *x)
{
	openssl.X509_free(x);
}

/* Frees the stack and drops a reference to each certificate. */
static void certs_free_all(STACK_OF(X509) *s)
{
	openssl.OPENSSL_sk_pop_free((OPENSSL_STACK *)s, free_x509);
}

/* --- capture during the handshake --- */

struct tls_capture *tls_capture_new(void)
{
	return xcalloc(1, sizeof(struct tls_capture));
}

void tls_capture_free(struct tls_capture *c)
{
	if (!c)
		return;
	if (c->chain)
		certs_free_all(c->chain);
	free(c);
}

/* Replaces OpenSSL's chain verification for this connection: copy what the
 * server sent and accept it. The judgement happens in tls_inspect(). */
static int capture_verify(X509_STORE_CTX *xs, void *arg)
{
	struct tls_capture *c = arg;
	STACK_OF(X509) *sent = openssl.X509_STORE_CTX_get0_untrusted(xs);
	X509 *leaf = openssl.X509_STORE_CTX_get0_cert(xs);
	SSL *ssl = openssl.X509_STORE_CTX_get_ex_data(xs,
			openssl.SSL_get_ex_data_X509_STORE_CTX_idx());

	if (c->chain)
		certs_free_all(c->chain);
	c->chain = certs_new();
	if (leaf) {
		openssl.X509_up_ref(leaf);
		certs_push(c->chain, leaf);
	}
	for (int i = 0; sent && i < stack_num(sent); i++) {
		X509 *x = stack_value(sent, i);

		if (x == leaf)
			continue;
		openssl.X509_up_ref(x);
		certs_push(c->chain, x);
	}
	if (ssl) {
		const SSL_CIPHER *ci = openssl.SSL_get_current_cipher(ssl);

		if (!ci)
			ci = openssl.SSL_get_pending_cipher(ssl);
		snprintf(c->version, sizeof(c->version), "%s",
			 openssl.SSL_get_version(ssl));
		c->version_num = openssl.SSL_version(ssl);
		snprintf(c->cipher, sizeof(c->cipher), "%s",
			 ci ? openssl.SSL_CIPHER_get_name(ci) : "");
	}
	return 1;
}

int tls_capture_install(void *ssl_ctx, struct tls_capture *c)
{
	SSL_CTX *ctx = ssl_ctx;

	openssl_need();         /* loaded with libcurl (libcurl.c) */
	openssl.SSL_CTX_set_cert_verify_callback(ctx, capture_verify, c);
	/* Let an old server finish its handshake so HD504 can name the
	 * protocol it offers, instead of an opaque "unsupported protocol".
	 * Nothing secret is sent, and trust is judged separately. */
	openssl.SSL_CTX_ctrl(ctx, SSL_CTRL_SET_MIN_PROTO_VERSION,
			     TLS1_VERSION, NULL);
	openssl.SSL_CTX_set_security_level(ctx, 0);
	return 0;
}

bool tls_capture_has_chain(const struct tls_capture *c)
{
	return c && c->chain && stack_num(c->chain) > 0;
}

const char *tls_capture_version(const struct tls_capture *c, int *num)
{
	if (num)
		*num = c ? c->version_num : 0;
	return c && c->version[0] ? c->version : NULL;
}

const char *tls_capture_cipher(const struct tls_capture *c)
{
	return c && c->cipher[0] ? c->cipher : NULL;
}

/* --- the trust store --- */

/* Does dir hold c_rehash links ("1a2b3c4d.0")? */
static bool has_hashed_certs(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	bool found = false;

	while (d && !found && (e = readdir(d))) {
		const char *n = e->d_name;

		found = strlen(n) >= 10 && n[8] == '.' &&
			strspn(n, "0123456789abcdef") == 8;
	}
	if (d)
		closedir(d);
	return found;
}

/* The system store, as OpenSSL's defaults (and SSL_CERT_DIR/SSL_CERT_FILE)
 * name it. The hashed directory is read lazily, one issuer at a time;
 * X509_STORE_set_default_paths() would parse the whole bundle file first
 * (17 ms here, more than the rest of a probe). The bundle is loaded only
 * when there is no hashed directory or SSL_CERT_FILE asks for it. */
static void add_dir(X509_STORE *store, const char *dir)
{
	X509_LOOKUP *l = openssl.X509_STORE_add_lookup(store,
					openssl.X509_LOOKUP_hash_dir());

	if (l)
		openssl.X509_LOOKUP_ctrl(l, X509_L_ADD_DIR, dir,
					  X509_FILETYPE_PEM, NULL);
	openssl.ERR_clear_error();
}

/* Adds every PEM certificate of path to store (when not NULL); returns
 * how many, or -1 with err set. */
static int load_cacert(X509_STORE *store, const char *path,
		       struct hd_error *err)
{
	BIO *b;
	X509 *x;
	int n = 0;

	errno = 0;
	b = openssl.BIO_new_file(path, "r");
	if (!b) {
		hd_error_set(err, "--cacert %s: %s", path,
			     strerror(errno ? errno : ENOENT));
		openssl.ERR_clear_error();
		return -1;
	}
	while ((x = openssl.PEM_read_bio_X509(b, NULL, NULL, NULL))) {
		if (store)
			openssl.X509_STORE_add_cert(store, x);
		openssl.X509_free(x);
		n++;
	}
	openssl.BIO_free(b);
	openssl.ERR_clear_error();
	if (!n) {
		hd_error_set(err, "--cacert %s: no PEM certificate in it", path);
		return -1;
	}
	return n;
}

int tls_cacert_check(const char *path, struct hd_error *err)
{
	openssl_need();
	return load_cacert(NULL, path, err) < 0 ? -1 : 0;
}

struct tls_trust *tls_trust_new(const char *cacert, struct hd_error *err)
{
	struct tls_trust *t;
	const char *dir, *file;

	openssl_need();
	t = xcalloc(1, sizeof(*t));
	dir = getenv(openssl.X509_get_default_cert_dir_env());
	file = getenv(openssl.X509_get_default_cert_file_env());
	t->store = openssl.X509_STORE_new();
	if (!t->store) {
		hd_error_set(err, "cannot create a certificate store");
		free(t);
		return NULL;
	}
	if (!dir || !*dir)
		dir = openssl.X509_get_default_cert_dir();
	if (strchr(dir, ':') || has_hashed_certs(dir)) {
		t->dir = xstrdup(dir);
		add_dir(t->store, dir);
		/* A bundle named by SSL_CERT_FILE still counts: second tier. */
		if (file && *file)
			t->file = xstrdup(file);
	} else {
		/* No hashed directory: the bundle is the system store. */
		if (!file || !*file)
			file = openssl.X509_get_default_cert_file();
		openssl.X509_STORE_load_file(t->store, file);
		openssl.ERR_clear_error();
	}
	t->cacert = cacert ? xstrdup(cacert) : NULL;
	if (cacert && load_cacert(t->store, cacert, err) < 0) {
		tls_trust_free(t);
		return NULL;
	}
	return t;
}

/* The second tier: everything, the bundle file included; NULL when
 * there is no bundle to add. */
static X509_STORE *trust_full(struct tls_trust *t)
{
	struct hd_error err;

	if (t->full_tried || !t->file)
		return t->full;
	t->full_tried = true;
	t->full = openssl.X509_STORE_new();
	if (!t->full)
		return NULL;
	if (t->dir)
		add_dir(t->full, t->dir);
	openssl.X509_STORE_load_file(t->full, t->file);
	openssl.ERR_clear_error();
	if (t->cacert)
		load_cacert(t->full, t->cacert, &err);
	return t->full;
}

static void seen_free(struct tls_trust *t);

void tls_trust_free(struct tls_trust *t)
{
	if (!t)
		return;
	seen_free(t);
	openssl.X509_STORE_free(t->store);
	openssl.X509_STORE_free(t->full);
	free(t->dir);
	free(t->file);
	free(t->cacert);
	free(t);
}

/* --- describing certificates --- */

static char *name_text(const X509_NAME *nm)
{
	BIO *b = openssl.BIO_new(openssl.BIO_s_mem());
	char *data, *out;
	long n;

	if (!b)
		return xstrdup("");
	openssl.X509_NAME_print_ex(b, nm, 0,
				   XN_FLAG_RFC2253 & ~ASN1_STRFLGS_ESC_MSB);
	n = openssl.BIO_ctrl(b, BIO_CTRL_INFO, 0, (char *)&data);
	out = xstrndup(n > 0 ? data : "", n > 0 ? (size_t)n : 0);
	openssl.BIO_free(b);
	return out;
}

/* "CN=..." alone when the name has a common name, else the whole name. */
static char *short_name(const X509_NAME *nm)
{
	int i = openssl.X509_NAME_get_index_by_NID(nm, NID_commonName, -1);

	if (i >= 0) {
		const ASN1_STRING *s = openssl.X509_NAME_ENTRY_get_data(
					openssl.X509_NAME_get_entry(nm, i));
		unsigned char *u = NULL;
		int n = openssl.ASN1_STRING_to_UTF8(&u, s);

		if (n >= 0) {
			char *out = xasprintf("CN=%.*s", n, (const char *)u);

			openssl.CRYPTO_free(u, OPENSSL_FILE, OPENSSL_LINE);
			return out;
		}
	}
	return name_text(nm);
}

static char *time_text(const ASN1_TIME *t)
{
	struct tm tm;
	char buf[32];

	if (!t || !openssl.ASN1_TIME_to_tm(t, &tm))
		return xstrdup("?");
	strftime(buf, sizeof(buf), "%Y-%m-%dT%H:%M:%SZ", &tm);
	return xstrdup(buf);
}

static void add_san(struct net_cert *c, char *s)
{
	c->sans = xrealloc(c->sans, (c->nsans + 1) * sizeof(*c->sans));
	c->sans[c->nsans++] = s;
}

static void read_sans(X509 *x, struct net_cert *c)
{
	GENERAL_NAMES *gens = openssl.X509_get_ext_d2i(x, NID_subject_alt_name,
					       NULL, NULL);

	for (int i = 0; gens && i < stack_num(gens); i++) {
		const GENERAL_NAME *g = stack_value(gens, i);

		if (g->type == GEN_DNS) {
			const ASN1_STRING *s = g->d.dNSName;

			const char *d = (const char *)
					openssl.ASN1_STRING_get0_data(s);

			add_san(c, xasprintf("DNS:%.*s",
					     openssl.ASN1_STRING_length(s), d));
		} else if (g->type == GEN_IPADD) {
			const ASN1_OCTET_STRING *s = g->d.iPAddress;
			char ip[INET6_ADDRSTRLEN] = "?";
			int len = openssl.ASN1_STRING_length(s);

			if (len == 4 || len == 16)
				inet_ntop(len == 4 ? AF_INET : AF_INET6,
					  openssl.ASN1_STRING_get0_data(s), ip,
					  sizeof(ip));
			add_san(c, xasprintf("IP:%s", ip));
		}
	}
	openssl.GENERAL_NAMES_free(gens);
}

static void describe(X509 *x, struct net_cert *c)
{
	const ASN1_TIME *before = openssl.X509_get0_notBefore(x);
	const ASN1_TIME *after = openssl.X509_get0_notAfter(x);
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int mdlen = 0;
	int days = 0, secs = 0;

	memset(c, 0, sizeof(*c));
	c->subject = name_text(openssl.X509_get_subject_name(x));
	c->issuer = name_text(openssl.X509_get_issuer_name(x));
	read_sans(x, c);
	c->not_before = time_text(before);
	c->not_after = time_text(after);
	if (openssl.ASN1_TIME_diff(&days, &secs, NULL, after)) {
		long total = (long)days * 86400 + secs;

		c->days_left = total >= 0 ? total / 86400
					  : -((-total + 86399) / 86400);
	}
	c->expired = openssl.X509_cmp_current_time(after) < 0;
	c->not_yet_valid = openssl.X509_cmp_current_time(before) > 0;
	c->self_signed = openssl.X509_self_signed(x, 1) == 1;
	if (openssl.X509_digest(x, openssl.EVP_sha256(), md, &mdlen)) {
		struct sbuf b = {0};

		for (unsigned int i = 0; i < mdlen; i++)
			sbuf_addf(&b, "%s%02X", i ? ":" : "", md[i]);
		c->sha256 = sbuf_detach(&b);
	}
	openssl.ERR_clear_error();
}

void tls_cert_free(struct net_cert *c)
{
	free(c->subject);
	free(c->issuer);
	for (size_t i = 0; i < c->nsans; i++)
		free(c->sans[i]);
	free(c->sans);
	free(c->not_before);
	free(c->not_after);
	free(c->sha256);
	memset(c, 0, sizeof(*c));
}

/* The caIssuers URL (http or https) of x, or NULL; malloc'd. */
static char *aia_ca_issuers(X509 *x)
{
	AUTHORITY_INFO_ACCESS *aia = openssl.X509_get_ext_d2i(x,
					NID_info_access, NULL, NULL);
	char *url = NULL;

	for (int i = 0; aia && !url && i < stack_num(aia); i++) {
		const ACCESS_DESCRIPTION *ad = stack_value(aia, i);
		const ASN1_STRING *s;
		const char *p;

		if (openssl.OBJ_obj2nid(ad->method) != NID_ad_ca_issuers ||
		    ad->location->type != GEN_URI)
			continue;
		s = ad->location->d.uniformResourceIdentifier;
		p = (const char *)openssl.ASN1_STRING_get0_data(s);
		if (strncmp(p, "http://", 7) == 0 || strncmp(p, "https://", 8) == 0)
			url = xstrndup(p,
				       (size_t)openssl.ASN1_STRING_length(s));
	}
	openssl.AUTHORITY_INFO_ACCESS_free(aia);
	return url;
}

/* --- verification --- */

struct verdict {
	bool ok;
	int err, depth;
	X509 *cur;                /* the certificate the error is about; owned */
	STACK_OF(X509) *path;     /* as built by OpenSSL; owned */
};

static void verdict_free(struct verdict *v)
{
	openssl.X509_free(v->cur);
	if (v->path)
		certs_free_all(v->path);
	memset(v, 0, sizeof(*v));
}

static void verify_in(X509_STORE *store, STACK_OF(X509) *chain,
		      STACK_OF(X509) *extra, struct verdict *v)
{
	X509_STORE_CTX *ctx = openssl.X509_STORE_CTX_new();
	STACK_OF(X509) *untrusted = certs_dup(chain);
	X509_VERIFY_PARAM *param;

	memset(v, 0, sizeof(*v));
	for (int i = 0; extra && i < stack_num(extra); i++)
		certs_push(untrusted, stack_value(extra, i));
	if (!ctx || !openssl.X509_STORE_CTX_init(ctx, store,
					 stack_value(chain, 0), untrusted)) {
		v->err = X509_V_ERR_UNSPECIFIED;
		goto out;
	}
	param = openssl.X509_STORE_CTX_get0_param(ctx);
	/* Dates are HD507's business; --cacert may hold an intermediate or
	 * the server's own certificate as the anchor. */
	openssl.X509_VERIFY_PARAM_set_flags(param, X509_V_FLAG_NO_CHECK_TIME |
					   X509_V_FLAG_PARTIAL_CHAIN);
	openssl.X509_STORE_CTX_set_purpose(ctx, X509_PURPOSE_SSL_SERVER);
	v->ok = openssl.X509_verify_cert(ctx) == 1;
	v->err = openssl.X509_STORE_CTX_get_error(ctx);
	v->depth = openssl.X509_STORE_CTX_get_error_depth(ctx);
	v->cur = openssl.X509_STORE_CTX_get_current_cert(ctx);
	if (v->cur)
		openssl.X509_up_ref(v->cur);
	v->path = openssl.X509_STORE_CTX_get1_chain(ctx);
out:
	openssl.X509_STORE_CTX_free(ctx);
	certs_free(untrusted);
	openssl.ERR_clear_error();
}

static bool issuer_missing(int err);

/* Verifies against the first tier, then, when an issuer or root was not
 * found there, against everything. */
static void verify(struct tls_trust *t, STACK_OF(X509) *chain,
		   STACK_OF(X509) *extra, struct verdict *v)
{
	X509_STORE *full;

	verify_in(t->store, chain, extra, v);
	if (v->ok || !(issuer_missing(v->err) ||
		       v->err == X509_V_ERR_DEPTH_ZERO_SELF_SIGNED_CERT ||
		       v->err == X509_V_ERR_SELF_SIGNED_CERT_IN_CHAIN))
		return;
	full = trust_full(t);
	if (full) {
		verdict_free(v);
		verify_in(full, chain, extra, v);
	}
}

/* The verdict on a chain depends on the chain and the trust set only (not
 * on the host name, checked separately), so many hosts behind one
 * certificate - the hosts of a CDN or a wildcard, the listeners of a test
 * server - verify it once a run. Chains are compared certificate by
 * certificate with X509_cmp() (the hash OpenSSL keeps of each, then the
 * encoding): identical bytes, identical verdict. */
#define SEEN_MAX 256

struct seen {
	STACK_OF(X509) *chain;    /* references */
	struct verdict v;
};

static bool same_chain(STACK_OF(X509) *a, STACK_OF(X509) *b)
{
	int n = stack_num(a);

	if (n != stack_num(b))
		return false;
	for (int i = 0; i < n; i++)
		if (openssl.X509_cmp(stack_value(a, i), stack_value(b, i)) != 0)
			return false;
	return true;
}

static void seen_free(struct tls_trust *t)
{
	for (size_t i = 0; i < t->nseen; i++) {
		certs_free_all(t->seen[i].chain);
		verdict_free(&t->seen[i].v);
	}
	free(t->seen);
	t->seen = NULL;
	t->nseen = 0;
}

/* verify(), once per distinct chain; *v is borrowed from the cache
 * (valid until tls_trust_free) when the result is true, owned by the
 * caller when it is false. */
static bool verify_once(struct tls_trust *t, STACK_OF(X509) *chain,
			struct verdict *v)
{
	struct seen *e;

	for (size_t i = 0; i < t->nseen; i++)
		if (same_chain(t->seen[i].chain, chain)) {
			*v = t->seen[i].v;
			return true;
		}
	verify(t, chain, NULL, v);
	if (t->nseen >= SEEN_MAX)
		return false;
	t->seen = xrealloc(t->seen, (t->nseen + 1) * sizeof(*t->seen));
	e = &t->seen[t->nseen++];
	e->chain = certs_new();
	for (int i = 0; i < stack_num(chain); i++) {
		openssl.X509_up_ref(stack_value(chain, i));
		certs_push(e->chain, stack_value(chain, i));
	}
	e->v = *v;
	return true;
}

static char *path_text(STACK_OF(X509) *path)
{
	struct sbuf b = {0};

	for (int i = 0; path && i < stack_num(path); i++) {
		X509 *x = stack_value(path, i);
		char *n = short_name(openssl.X509_get_subject_name(x));

		sbuf_addf(&b, "%s%s", i ? " < " : "", n);
		free(n);
	}
	return sbuf_detach(&b);
}

static bool issuer_missing(int err)
{
	return err == X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY ||
	       err == X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT ||
	       err == X509_V_ERR_UNABLE_TO_VERIFY_LEAF_SIGNATURE;
}

static void set_chain(struct net_result *r, enum chain_problem p, char *msg)
{
	free(r->chain_error);
	r->chain_problem = p;
	r->chain_ok = p == CHAIN_OK;
	r->chain_error = msg;
}

/* Judges a verdict on the chain as sent (first pass). */
static void judge(const struct verdict *v, struct net_result *r)
{
	char *who = v->cur ? short_name(openssl.X509_get_subject_name(v->cur))
			   : xstrdup("?");

	free(r->chain_path);
	r->chain_path = path_text(v->path);
	if (v->ok) {
		set_chain(r, CHAIN_OK, NULL);
	} else if (v->err == X509_V_ERR_DEPTH_ZERO_SELF_SIGNED_CERT) {
		set_chain(r, CHAIN_SELF_SIGNED,
			  xasprintf("self-signed certificate (%s): no CA vouches "
				    "for it", who));
	} else if (v->err == X509_V_ERR_SELF_SIGNED_CERT_IN_CHAIN) {
		set_chain(r, CHAIN_UNKNOWN_CA,
			  xasprintf("unknown CA: the chain ends at the root %s, "
				    "which is not trusted", who));
	} else if (issuer_missing(v->err) && v->cur) {
		char *iss = name_text(openssl.X509_get_issuer_name(v->cur));

		free(r->missing_issuer);
		r->missing_issuer = iss;
		free(r->aia_url);
		r->aia_url = aia_ca_issuers(v->cur);
		set_chain(r, CHAIN_ISSUER_MISSING,
			  xasprintf("the issuer of %s (%s) is neither sent by "
				    "the server nor trusted: a missing "
				    "intermediate or an unknown CA", who, iss));
	} else {
		const char *e = openssl.X509_verify_cert_error_string(v->err);

		set_chain(r, CHAIN_OTHER, xasprintf("%s (%s)", e, who));
	}
	free(who);
}

void tls_inspect(const struct tls_capture *c, struct tls_trust *t,
		 const char *host, struct net_result *r)
{
	struct verdict v;
	X509 *leaf;
	int n;

	if (!tls_capture_has_chain(c))
		return;
	n = stack_num(c->chain);
	r->certs = xcalloc((size_t)n, sizeof(*r->certs));
	r->ncerts = (size_t)n;
	for (int i = 0; i < n; i++)
		describe(stack_value(c->chain, i), &r->certs[i]);
	leaf = stack_value(c->chain, 0);
	if (r->ip_literal)
		r->hostname_ok = openssl.X509_check_ip_asc(leaf, host, 0) == 1;
	else
		r->hostname_ok = openssl.X509_check_host(leaf, host,
							 strlen(host), 0,
							 NULL) == 1;
	if (!verify_once(t, c->chain, &v)) {
		judge(&v, r);
		verdict_free(&v);
	} else
		judge(&v, r);
}

/* Certificates from an AIA answer: DER or PEM, a certificate or PKCS#7. */
static STACK_OF(X509) *parse_aia(const unsigned char *data, size_t len)
{
	STACK_OF(X509) *out = certs_new();
	const unsigned char *p = data;
	X509 *x = openssl.d2i_X509(NULL, &p, (long)len);
	BIO *b;

	if (x) {
		certs_push(out, x);
		return out;
	}
	p = data;
	PKCS7 *p7 = openssl.d2i_PKCS7(NULL, &p, (long)len);
	if (!p7) {
		b = openssl.BIO_new_mem_buf(data, (int)len);
		while (b &&
		       (x = openssl.PEM_read_bio_X509(b, NULL, NULL, NULL)))
			certs_push(out, x);
		openssl.BIO_free(b);
		if (!stack_num(out)) {
			b = openssl.BIO_new_mem_buf(data, (int)len);
			if (b)
				p7 = openssl.PEM_read_bio_PKCS7(b, NULL, NULL,
								NULL);
			openssl.BIO_free(b);
		}
	}
	if (p7 && openssl.OBJ_obj2nid(p7->type) == NID_pkcs7_signed &&
	    p7->d.sign && p7->d.sign->cert) {
		STACK_OF(X509) *certs = p7->d.sign->cert;

		for (int i = 0; i < stack_num(certs); i++) {
			X509 *c = stack_value(certs, i);

			openssl.X509_up_ref(c);
			certs_push(out, c);
		}
	}
	openssl.PKCS7_free(p7);
	openssl.ERR_clear_error();
	return out;
}

void tls_inspect_aia(const struct tls_capture *c, struct tls_trust *t,
		     const unsigned char *data, size_t len,
		     const char *fetch_error, struct net_result *r)
{
	STACK_OF(X509) *extra;
	struct verdict v;
	X509 *first;
	char *fetched;

	if (!tls_capture_has_chain(c) || r->chain_problem != CHAIN_ISSUER_MISSING)
		return;
	extra = fetch_error ? certs_new() : parse_aia(data, len);
	if (!stack_num(extra)) {
		char *msg = xasprintf("%s; its AIA URL %s gave no certificate%s%s",
				      r->chain_error, r->aia_url,
				      fetch_error ? ": " : "",
				      fetch_error ? fetch_error : "");

		set_chain(r, CHAIN_ISSUER_MISSING, msg);
		certs_free_all(extra);
		return;
	}
	first = stack_value(extra, 0);
	fetched = short_name(openssl.X509_get_subject_name(first));
	verify(t, c->chain, extra, &v);
	free(r->chain_path);
	r->chain_path = path_text(v.path);
	if (v.ok) {
		set_chain(r, CHAIN_MISSING_INTERMEDIATE,
			  xasprintf("missing intermediate: the server does not "
				    "send %s (the chain verifies only with the "
				    "copy fetched from %s)", fetched, r->aia_url));
	} else {
		char *who = v.cur ? short_name(
					openssl.X509_get_subject_name(v.cur))
				  : xstrdup("?");
		const char *e = openssl.X509_verify_cert_error_string(v.err);

		set_chain(r, CHAIN_UNKNOWN_CA,
			  xasprintf("unknown CA: %s (fetched from %s, the server "
				    "does not send it) does not lead to a trusted "
				    "root: %s at %s", fetched, r->aia_url, e, who));
		free(who);
	}
	free(fetched);
	verdict_free(&v);
	certs_free_all(extra);
}
