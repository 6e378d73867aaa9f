sudo install -d -o www-data -g www-data -m 0700 /var/lib/zoho-oauth
sudo -u www-data zoho-oauth exchange --token-dir /var/lib/zoho-oauth --client-id 1000.XXXXXXXXXXXXXXXX
sudo -u www-data zoho-oauth users --token-dir /var/lib/zoho-oauth
