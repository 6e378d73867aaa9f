cc quickstart.c $(pkg-config --cflags --libs zoho-oauth) -o quickstart
sudo -u www-data ./quickstart
