#!/bin/sh
# tests/servers/gen-certs.sh DIR [AIA_URL] - the certificates of the network
# tests, made with the `openssl` command at test time (nothing is committed):
#
#   ca.pem ca.key            test root CA ("hookdoctor test CA")
#   int.pem int.der          intermediate CA signed by the root
#   other-ca.pem             a second root that nobody trusts
#   valid.pem                localhost + 127.0.0.1 + ::1, signed by the root
#   expired.pem              same names, valid 2020-01-01..2020-02-01
#   soon.pem                 same names, expires in 5 days
#   wronghost.pem            names only wrong.example.com
#   selfsigned.pem           localhost + 127.0.0.1, signs itself
#   leaf-int.pem             signed by the intermediate, AIA caIssuers =
#                            AIA_URL (the intermediate as DER); served alone
#                            it is "missing intermediate"
#   fullchain.pem            leaf-int.pem followed by int.pem
#   leaf-int-noaia.pem       signed by the intermediate, no AIA
#   unknown-chain.pem        leaf signed by other-ca, followed by other-ca
#   key.pem                  the one key every leaf uses
#
# Dates in the past need `openssl ca -startdate/-enddate` (OpenSSL 3.0's
# `x509 -req` has no -not_before), so every leaf is issued by `openssl ca`
# with a minimal configuration written here. EC P-256 keys keep it fast.
set -eu

dir=${1:?usage: gen-certs.sh DIR [AIA_URL]}
aia=${2:-http://127.0.0.1:9/int.der}
mkdir -p "$dir"
cd "$dir"

newkey() { openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$1" 2>/dev/null; }

newkey ca.key
newkey int.key
newkey other-ca.key
newkey key.pem

cat > ext.cnf <<EOF
[ ca_ext ]
basicConstraints = critical, CA:TRUE
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash
[ int_ext ]
basicConstraints = critical, CA:TRUE, pathlen:0
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
[ leaf_ext ]
basicConstraints = CA:FALSE
keyUsage = critical, digitalSignature
extendedKeyUsage = serverAuth
subjectAltName = DNS:localhost, IP:127.0.0.1, IP:::1
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
[ leaf_aia_ext ]
basicConstraints = CA:FALSE
keyUsage = critical, digitalSignature
extendedKeyUsage = serverAuth
subjectAltName = DNS:localhost, IP:127.0.0.1, IP:::1
authorityInfoAccess = caIssuers;URI:$aia
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
[ wrong_ext ]
basicConstraints = CA:FALSE
keyUsage = critical, digitalSignature
extendedKeyUsage = serverAuth
subjectAltName = DNS:wrong.example.com
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
[ req ]
distinguished_name = dn
prompt = no
[ dn ]
CN = unused
EOF

# Roots.
openssl req -x509 -new -key ca.key -subj "/CN=hookdoctor test CA" -days 3650 \
	-config ext.cnf -extensions ca_ext -out ca.pem
openssl req -x509 -new -key other-ca.key -subj "/CN=hookdoctor untrusted CA" \
	-days 3650 -config ext.cnf -extensions ca_ext -out other-ca.pem

# A minimal `openssl ca` set-up per issuer (index, serial, config).
setup_ca() { # name cert key
	mkdir -p "ca-$1/new"
	: > "ca-$1/index.txt"
	echo 1000 > "ca-$1/serial"
	cat > "ca-$1/ca.cnf" <<EOF
[ ca ]
default_ca = this
[ this ]
dir = $PWD/ca-$1
database = \$dir/index.txt
new_certs_dir = \$dir/new
serial = \$dir/serial
certificate = $PWD/$2
private_key = $PWD/$3
default_md = sha256
policy = any
unique_subject = no
copy_extensions = none
email_in_dn = no
[ any ]
commonName = supplied
EOF
}
setup_ca root ca.pem ca.key
setup_ca int int.pem int.key
setup_ca other other-ca.pem other-ca.key

# issue CA NAME CN EXT [ca options...]: NAME.pem from the CA named
issue() {
	ca=$1 name=$2 cn=$3 ext=$4
	shift 4
	openssl req -new -key "$( [ "$ext" = int_ext ] && echo int.key || echo key.pem )" \
		-subj "/CN=$cn" -out "$name.csr" 2>/dev/null
	openssl ca -batch -notext -config "ca-$ca/ca.cnf" -extfile ext.cnf \
		-extensions "$ext" -in "$name.csr" -out "$name.pem" "$@" 2>/dev/null
	rm -f "$name.csr"
}

issue root int "hookdoctor test intermediate" int_ext -days 3650
openssl x509 -in int.pem -outform DER -out int.der

issue root valid localhost leaf_ext -days 365
issue root expired localhost leaf_ext -startdate 20200101000000Z -enddate 20200201000000Z
issue root soon localhost leaf_ext -days 5
issue root wronghost wrong.example.com wrong_ext -days 365
issue int leaf-int localhost leaf_aia_ext -days 365
issue int leaf-int-noaia localhost leaf_ext -days 365
issue other unknown-leaf localhost leaf_ext -days 365

openssl req -x509 -new -key key.pem -subj "/CN=localhost" -days 365 \
	-addext "subjectAltName=DNS:localhost,IP:127.0.0.1" \
	-addext "basicConstraints=CA:FALSE" -out selfsigned.pem 2>/dev/null

cat leaf-int.pem int.pem > fullchain.pem
cat unknown-leaf.pem other-ca.pem > unknown-chain.pem
