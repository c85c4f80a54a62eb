/*
 * tls.h - certificate inspection with OpenSSL, private to the probe.
 *
 * During the handshake, a certificate-verify hook installed on libcurl's
 * SSL_CTX copies the peer chain exactly as the server sent it, with the
 * protocol version and cipher, and accepts it (libcurl runs with
 * verification off). After the transfer, tls_inspect() verifies that chain
 * itself against the default store plus --cacert, checks the host name and
 * reads the dates, so a hook with verify_ssl: false gets the same findings.
 * Only this module includes OpenSSL headers; net.c passes the SSL_CTX as
 * the void pointer libcurl hands it.
 */
#ifndef HD_TLS_H
#define HD_TLS_H

#include <stdbool.h>
#include <stddef.h>
#include "net.h"

struct tls_capture;     /* what one handshake showed (opaque) */
struct tls_trust;       /* the trust store, built once per run (opaque) */

struct tls_capture *tls_capture_new(void);
void tls_capture_free(struct tls_capture *c);
/* Called from CURLOPT_SSL_CTX_FUNCTION with libcurl's SSL_CTX *. */
int tls_capture_install(void *ssl_ctx, struct tls_capture *c);
/* Did the server send a certificate? */
bool tls_capture_has_chain(const struct tls_capture *c);
/* Protocol and cipher as negotiated, or NULL (borrowed). */
const char *tls_capture_version(const struct tls_capture *c, int *num);
const char *tls_capture_cipher(const struct tls_capture *c);

/* The default store plus cacert (may be NULL). Returns NULL with err set
 * when cacert cannot be read or holds no certificate. */
struct tls_trust *tls_trust_new(const char *cacert, struct hd_error *err);
void tls_trust_free(struct tls_trust *t);
/* Can path be read, and does it hold a PEM certificate? 0, or -1 with
 * err set. */
int tls_cacert_check(const char *path, struct hd_error *err);

/* Fills r's certificate facts (certs, chain_*, hostname_ok,
 * missing_issuer, aia_url) from the captured chain. When the chain lacks
 * an issuer and the certificate names one through AIA, r->aia_url is set
 * and the caller may fetch it and call tls_inspect_aia(). */
void tls_inspect(const struct tls_capture *c, struct tls_trust *t,
		 const char *host, struct net_result *r);
/* Verifies again with the certificate(s) fetched from r->aia_url (DER,
 * PEM or PKCS#7) as untrusted intermediates, to tell a missing
 * intermediate from an unknown CA. fetch_error, when not NULL, says why
 * nothing could be fetched. */
void tls_inspect_aia(const struct tls_capture *c, struct tls_trust *t,
		     const unsigned char *data, size_t len,
		     const char *fetch_error, struct net_result *r);

/* Releases what tls_inspect() put into r (used by net_result_free). */
void tls_cert_free(struct net_cert *c);

#endif
