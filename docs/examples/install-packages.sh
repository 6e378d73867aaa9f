bash scripts/package-deb.sh                               # -> target/debian/*_0.1.0-2~deb12u1_*.deb
sudo apt install ./target/debian/*.deb                    # all of them, or only some:
sudo apt install ./target/debian/php8.2-zoho-oauth_*.deb  # PHP only: no C library, no headers
