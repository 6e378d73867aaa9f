//! The values an option's completion offers (data centres, token file formats, stores, access
//! types): offered by the bash, zsh and fish scripts, never enforced by the parser, so a bad
//! value still gets the core's own error (`--dc xx`: unknown data centre).

use std::ffi::OsStr;

use clap::builder::{PossibleValue, StringValueParser, TypedValueParser};
use zoho_oauth::store::BuiltInStore;
use zoho_oauth::{DataCentre, StoreFormat};

/// A string option whose completion offers a fixed list of values; any string parses.
#[derive(Clone, Debug)]
pub struct Suggested(Vec<&'static str>);

impl TypedValueParser for Suggested {
    type Value = String;

    fn parse_ref(
        &self,
        cmd: &clap::Command,
        arg: Option<&clap::Arg>,
        value: &OsStr,
    ) -> Result<String, clap::Error> {
        StringValueParser::new().parse_ref(cmd, arg, value)
    }

    fn possible_values(&self) -> Option<Box<dyn Iterator<Item = PossibleValue> + '_>> {
        Some(Box::new(
            self.0.iter().map(|value| PossibleValue::new(*value)),
        ))
    }
}

/// `--dc`: every data centre the core knows.
pub fn data_centres() -> Suggested {
    Suggested(DataCentre::all().map(DataCentre::code).collect())
}

/// The token file formats.
fn formats() -> impl Iterator<Item = &'static str> {
    [StoreFormat::PhpSdk, StoreFormat::Json]
        .into_iter()
        .map(StoreFormat::name)
}

/// `--store-format`: the token file formats.
pub fn store_formats() -> Suggested {
    Suggested(formats().collect())
}

/// `migrate --to` / `--from`: the file formats first, then every other store's label (the
/// current SDKs' CSV, the shared stores), from the core's selector.
pub fn migrate_sides() -> Suggested {
    let others = BuiltInStore::labels()
        .into_iter()
        .filter(|label| !formats().any(|format| format == *label));
    Suggested(formats().chain(others).collect())
}

/// `authorize-url --access-type`.
pub fn access_types() -> Suggested {
    Suggested(vec!["offline", "online"])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn offered(parser: &Suggested) -> Vec<String> {
        parser
            .possible_values()
            .into_iter()
            .flatten()
            .map(|v| v.get_name().to_string())
            .collect()
    }

    #[test]
    fn every_offered_value_is_one_the_core_accepts() {
        for code in offered(&data_centres()) {
            assert!(DataCentre::from_code(&code).is_ok(), "{code}");
        }
        assert!(offered(&data_centres()).contains(&"eu".to_string()));
        for format in offered(&store_formats()) {
            assert!(StoreFormat::parse(&format).is_ok(), "{format}");
        }
        assert_eq!(
            offered(&migrate_sides()),
            ["php", "json", "csv", "mysql", "redis"]
        );
    }

    #[test]
    fn any_value_parses_so_the_core_words_the_error() {
        let command = clap::Command::new("t");
        let parsed = data_centres().parse_ref(&command, None, OsStr::new("mars"));
        assert_eq!(parsed.ok().as_deref(), Some("mars"));
    }
}
