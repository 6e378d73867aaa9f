mkdir -p ~/.config/zoho-oauth
install -m 600 /dev/null ~/.config/zoho-oauth/config
printf 'client_id=1000.XXXXXXXXXXXXXXXX\nclient_secret=xxxxxxxx\n' >> ~/.config/zoho-oauth/config
