--TEST--
Bridge for Zoho's current SDK: sdk_tokens.txt written by the SDK's FileStore is read by the core and the other way round; a 9-column file is converted; commas and quotes cannot corrupt the file; a corrupt file is an error and stays untouched; a file the SDK left without its header is read and gets it back
--FILE--
<?php
use com\zoho\api\authenticator\OAuthToken;
use com\zoho\api\authenticator\store\FileStore;
use com\zoho\crm\api\UserSignature;
use zcrmsdk\oauth\exception\ZohoOAuthException;
use zoho_oauth\bridge\Core;

require __DIR__ . '/../../bridge/tests/bootstrap.php';
$url = emulator_start();
$dir = temp_dir();
$file = "$dir/sdk_tokens.txt";
$later = (string) ((int) round(microtime(true) * 1000) + 3600000);
$config = ['client_id' => TEST_CLIENT_ID, 'client_secret' => TEST_CLIENT_SECRET, 'redirect_uri' => TEST_REDIRECT_URI,
    'accounts_url' => $url, 'token_persistence_path' => $file];

// 1. The SDK writes, we read.
$sdk = new FileStore($file);
foreach ([['ada@example.com', '1000.a.ada'], ['bob@example.com', '1000.a.bob'], [null, '1000.a.anon']] as [$user, $access]) {
    $t = new OAuthToken(TEST_CLIENT_ID, TEST_CLIENT_SECRET, null, "1000.r.$access", TEST_REDIRECT_URI, null, $access, $user ? new UserSignature($user) : null, false);
    $t->setExpiresIn($later);
    $t->setAPIDomain('https://www.zohoapis.eu');
    $sdk->saveToken($t);
}
$rows = Core::rows($config);
check_same(['ada@example.com', 'bob@example.com', '3'], array_column($rows, 'user'), 'the core reads the SDK\'s rows (a row without user name by its id)');
check_same(['1000.a.ada', '1000.r.1000.a.ada', $later, 'https://www.zohoapis.eu'],
    [$rows[0]['access_token'], $rows[0]['refresh_token'], $rows[0]['expiry_time'], $rows[0]['api_domain']], 'every token field');
check_same('1000.a.bob', Core::tokens($config, 'BOB@example.com')['access_token'], 'a valid token is served as stored (case-insensitive e-mail)');

// 2. We write, the SDK reads. The SDK's FileStore leaves the file as the umask makes it,
// typically 0644: readable by everyone, with the client secret in it.
chmod($file, 0644);
Core::save($config, ['user' => 'ada@example.com', 'access_token' => '1000.a.ada2', 'refresh_token' => '1000.r.ada', 'expiry_time' => $later]);
Core::save($config, ['user' => 'carol@example.com', 'refresh_token' => '1000.r.carol']);
$sdk = new FileStore($file);
$ada = $sdk->findTokenById('1');
check_same(['1000.a.ada2', '1000.r.ada', 'ada@example.com', TEST_CLIENT_ID, TEST_CLIENT_SECRET, TEST_REDIRECT_URI, 'https://www.zohoapis.eu'],
    [$ada->getAccessToken(), $ada->getRefreshToken(), $ada->getUserSignature()->getName(), $ada->getClientId(), $ada->getClientSecret(), $ada->getRedirectURL(), $ada->getAPIDomain()],
    'the SDK reads our update in place (id, client columns and api_domain kept)');
$carol = $sdk->findTokenById('4');
check_same(['carol@example.com', '1000.r.carol', TEST_CLIENT_ID, TEST_CLIENT_SECRET, null],
    [$carol->getUserSignature()->getName(), $carol->getRefreshToken(), $carol->getClientId(), $carol->getClientSecret(), $carol->getAccessToken()],
    'a new row gets the next id and the configured client, so the SDK can refresh it');
check_same(4, count($sdk->getTokens()), 'the SDK sees all four rows');
check(!str_ends_with(file_get_contents($file), "\n") && substr_count(file_get_contents($file), "\n") === 4, 'lines joined with \n, no trailing newline (as the SDK writes)');
check_same('0640', substr(sprintf('%o', fileperms($file)), -4), 'the file we replace keeps its owner and group bits and loses the others\' (0644 becomes 0640), as every token file does');

// 3. A 9-column file (php-sdk 2.x) is read and converted on our first write.
$legacy = "$dir/legacy/sdk_tokens.txt";
mkdir(dirname($legacy));
file_put_contents($legacy, "id,user_mail,client_id,client_secret,refresh_token,access_token,grant_token,expiry_time,redirect_url\n"
    . "1,ada@example.com," . TEST_CLIENT_ID . "," . TEST_CLIENT_SECRET . ",1000.r.old,1000.a.old,,$later," . TEST_REDIRECT_URI);
$legacyConfig = ['token_persistence_path' => $legacy] + $config;
check_same('1000.a.old', Core::find($legacyConfig, 'ada@example.com')['access_token'], 'a 9-column file is read');
Core::save($legacyConfig, ['user' => 'bob@example.com', 'refresh_token' => '1000.r.bob']);
$lines = explode("\n", file_get_contents($legacy));
check_same(implode(',', FileStore::HEADER), $lines[0], 'our first write converts it to the 10-column header');
check_same("1,ada@example.com," . TEST_CLIENT_ID . "," . TEST_CLIENT_SECRET . ",1000.r.old,1000.a.old,,$later," . TEST_REDIRECT_URI . ",", $lines[1], 'the old row gains an empty api_domain, as the SDK converts it');
check_same('1000.a.old', (new FileStore($legacy))->findTokenById('1')->getAccessToken(), 'the SDK reads the converted file');

// 4. Commas and quotes: refused when we are asked to store them; kept when already quoted.
$before = file_get_contents($file);
foreach (['Doe, Ada', 'say "hi"', "two\nlines"] as $bad) {
    check_throws(fn() => Core::save($config, ['user' => $bad, 'refresh_token' => '1000.r.x']), ZohoOAuthException::class,
        '/user_name contains a comma, a double quote or a line break/', 100, 'a user name with ' . json_encode($bad) . ' is refused (code 100)');
}
check_same($before, file_get_contents($file), 'nothing was written');
file_put_contents($file, $before . "\n5,\"Doe, \"\"Ada\"\"\"," . TEST_CLIENT_ID . ",s,1000.r.q,1000.a.q,,$later,,");
check_same('Doe, "Ada"', Core::rows($config)[4]['user'], 'a quoted field (Python\'s SDK quotes) is read as str_getcsv reads it');
Core::save($config, ['user' => 'dave@example.com', 'refresh_token' => '1000.r.dave']);
$names = array_map(fn($t) => $t->getUserSignature()?->getName(), (new FileStore($file))->getTokens());
check_same(['ada@example.com', 'bob@example.com', null, 'carol@example.com', 'Doe, "Ada"', 'dave@example.com'], $names, 'our rewrite keeps it quoted, so the SDK still reads every row intact');

// 5. A corrupt file (what the SDK leaves after writing a comma unquoted) is an error, untouched.
$corrupt = $before . "\n5,Doe, Ada," . TEST_CLIENT_ID . ",s,1000.r.q,1000.a.q,,$later,,";
file_put_contents($file, $corrupt);
$e = check_throws(fn() => Core::rows($config), ZohoOAuthException::class, '/line 6 has 11 fields/', 402, 'a row with 11 fields: store_corrupt (402), naming the line');
check($e !== null && !str_contains($e->getMessage(), TEST_CLIENT_SECRET) && !str_contains($e->getMessage(), '1000.'), 'the message shows no secret and no token');
check_throws(fn() => Core::save($config, ['user' => 'erin@example.com', 'refresh_token' => '1000.r.e']), ZohoOAuthException::class, null, 402, 'a save into it is refused too');
check_same($corrupt, file_get_contents($file), 'the corrupt file is left untouched');

// 6. What the SDK leaves when one of its processes reads the file empty while another rewrites
// it (file_put_contents truncates, then writes): its saveToken() keeps line 0 as the header,
// and an empty read has none, so the file starts with a row (issue 22's mixed fleet).
$race = "$dir/race/sdk_tokens.txt";
mkdir(dirname($race));
$sdkRace = new FileStore($race);                                   // writes the header
file_put_contents($race, '');                                      // another SDK process: truncated, not yet written
$t = new OAuthToken(TEST_CLIENT_ID, TEST_CLIENT_SECRET, null, '1000.r.fay', TEST_REDIRECT_URI, null, '1000.a.fay', new UserSignature('fay@example.com'), false);
$t->setExpiresIn($later);
$sdkRace->saveToken($t);
check(str_starts_with(file_get_contents($race), '1,fay@example.com,'), 'the SDK\'s FileStore wrote the file without its header');
check_same([], (new FileStore($race))->getTokens(), '... and then takes its only row for the header (the SDK itself loses it)');
$raceConfig = ['token_persistence_path' => $race] + $config;
check_same('1000.a.fay', Core::find($raceConfig, 'fay@example.com')['access_token'] ?? null, 'the core reads that row all the same (not store_corrupt)');
Core::save($raceConfig, ['user' => 'gus@example.com', 'refresh_token' => '1000.r.gus']);
check_same(['fay@example.com', 'gus@example.com'], array_map(fn($t) => $t->getUserSignature()?->getName(), (new FileStore($race))->getTokens()),
    'our next save writes the header back: the SDK sees both rows again');
// The SDK's FileStore constructor appends the header to a file it found empty (mode "a"): when
// another SDK process filled the file in between, the header lands on the last row's line.
$glued = file_get_contents($race) . implode(',', FileStore::HEADER);
file_put_contents($race, $glued);
check_same(['gus@example.com', '1000.r.gus'], [Core::find($raceConfig, 'gus@example.com')['user'] ?? null, Core::find($raceConfig, 'gus@example.com')['refresh_token'] ?? null],
    'a last row with the SDK\'s header glued to it is read as the row');
finish();
--EXPECT--
ok - the core reads the SDK's rows (a row without user name by its id)
ok - every token field
ok - a valid token is served as stored (case-insensitive e-mail)
ok - the SDK reads our update in place (id, client columns and api_domain kept)
ok - a new row gets the next id and the configured client, so the SDK can refresh it
ok - the SDK sees all four rows
ok - lines joined with \n, no trailing newline (as the SDK writes)
ok - the file we replace keeps its owner and group bits and loses the others' (0644 becomes 0640), as every token file does
ok - a 9-column file is read
ok - our first write converts it to the 10-column header
ok - the old row gains an empty api_domain, as the SDK converts it
ok - the SDK reads the converted file
ok - a user name with "Doe, Ada" is refused (code 100)
ok - a user name with "say \"hi\"" is refused (code 100)
ok - a user name with "two\nlines" is refused (code 100)
ok - nothing was written
ok - a quoted field (Python's SDK quotes) is read as str_getcsv reads it
ok - our rewrite keeps it quoted, so the SDK still reads every row intact
ok - a row with 11 fields: store_corrupt (402), naming the line
ok - the message shows no secret and no token
ok - a save into it is refused too
ok - the corrupt file is left untouched
ok - the SDK's FileStore wrote the file without its header
ok - ... and then takes its only row for the header (the SDK itself loses it)
ok - the core reads that row all the same (not store_corrupt)
ok - our next save writes the header back: the SDK sees both rows again
ok - a last row with the SDK's header glued to it is read as the row
all checks passed
