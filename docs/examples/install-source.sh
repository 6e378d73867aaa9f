cargo build --release -p zoho-oauth-php   # the PHP extension: target/release/libzoho_oauth_php.so
make install PREFIX=/usr/local            # the C library, headers and pkg-config files
cargo install --path cli                  # the zoho-oauth CLI
