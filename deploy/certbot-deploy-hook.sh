#!/bin/sh
# certbot --deploy-hook: after a renewal, copy the certificate where the relay's user can read
# it (certbot keeps private keys root-only) and reload the relay, which takes it without
# dropping connections. RENEWED_LINEAGE is set by certbot (/etc/letsencrypt/live/<name>).
set -eu
dest=/etc/wildgrass/tls
install -d -m 0750 -o root -g wildgrass "$dest"
install -m 0640 -o root -g wildgrass "$RENEWED_LINEAGE/fullchain.pem" "$dest/fullchain.pem.new"
install -m 0640 -o root -g wildgrass "$RENEWED_LINEAGE/privkey.pem" "$dest/privkey.pem.new"
# key first, then certificate: the relay checks that they belong together and keeps the old
# pair until both are in place
mv "$dest/privkey.pem.new" "$dest/privkey.pem"
mv "$dest/fullchain.pem.new" "$dest/fullchain.pem"
systemctl reload wildgrass-relay
