//! Random migration names: `adjective_noun` from our own word lists.

use rand::Rng;
use rand::seq::SliceRandom;

/// A random `adjective_noun` name such as `brave_otter`.
pub fn random_name(rng: &mut impl Rng) -> String {
    let adjective = ADJECTIVES.choose(rng).expect("the word list is not empty");
    let noun = NOUNS.choose(rng).expect("the word list is not empty");
    format!("{adjective}_{noun}")
}

#[rustfmt::skip]
const ADJECTIVES: &[&str] = &[
    "agile", "amber", "ancient", "arctic", "autumn", "bold", "brave", "breezy", "bright",
    "brisk", "bronze", "calm", "candid", "careful", "cheerful", "clever", "cloudy", "coastal",
    "cobalt", "cool", "copper", "cosmic", "cozy", "crimson", "crisp", "curious", "daring",
    "dawn", "deep", "dusty", "eager", "early", "earnest", "easy", "electric", "elegant",
    "emerald", "fancy", "fearless", "fierce", "fluffy", "flying", "fond", "frosty", "gentle",
    "giant", "gifted", "glad", "gleaming", "golden", "graceful", "grand", "green", "happy",
    "hardy", "hazy", "hidden", "hollow", "honest", "humble", "icy", "idle", "jade", "jolly",
    "keen", "kind", "lavish", "lazy", "lively", "lone", "loyal", "lucky", "lunar", "magic",
    "majestic", "marble", "mellow", "merry", "mighty", "misty", "modest", "mossy", "nimble",
    "noble", "northern", "oaken", "odd", "olive", "orange", "pale", "patient", "peaceful",
    "plain", "playful", "polar", "polite", "proud", "quick", "quiet", "rapid", "rare", "ready",
    "regal", "rosy", "royal", "rugged", "rustic", "sandy", "scarlet", "secret", "serene",
    "sharp", "shiny", "silent", "silky", "silver", "simple", "sleek", "sleepy", "slim",
    "smooth", "snowy", "solar", "sparkling", "spry", "steady", "stellar", "stormy", "sturdy",
    "sunny", "swift", "tall", "tame", "tender", "thrifty", "tidy", "tiny", "tranquil", "true",
    "twin", "upbeat", "urban", "vast", "velvet", "vivid", "warm", "wild", "windy", "wise",
    "witty", "woolly", "young", "zany", "zealous", "zesty",
];

#[rustfmt::skip]
const NOUNS: &[&str] = &[
    "albatross", "alpaca", "anchor", "antelope", "badger", "beacon", "bear", "beaver", "bison",
    "bobcat", "boulder", "breeze", "brook", "buffalo", "canyon", "caribou", "cedar", "cheetah",
    "cliff", "cloud", "comet", "condor", "coral", "cougar", "coyote", "crane", "creek", "crow",
    "cypress", "dingo", "dolphin", "dove", "dune", "eagle", "echo", "elk", "ember", "falcon",
    "fern", "ferret", "finch", "fjord", "flamingo", "fox", "gazelle", "geyser", "glacier",
    "gopher", "grove", "gull", "harbor", "hare", "hawk", "hedgehog", "heron", "hill", "horizon",
    "ibis", "iguana", "island", "jackal", "jaguar", "jay", "kestrel", "kite", "koala", "lagoon",
    "lark", "lemur", "leopard", "lichen", "lily", "llama", "lynx", "magpie", "mammoth", "maple",
    "marmot", "marten", "meadow", "meerkat", "mesa", "mink", "mole", "moose", "moth", "narwhal",
    "newt", "nova", "oak", "ocelot", "orca", "osprey", "otter", "owl", "panda", "panther",
    "parrot", "peak", "pelican", "penguin", "petrel", "pine", "plover", "pond", "puffin",
    "quail", "quokka", "rabbit", "raccoon", "raven", "reef", "ridge", "river", "robin",
    "salmon", "sequoia", "shark", "sparrow", "spruce", "squid", "stag", "starling", "stork",
    "summit", "swan", "tapir", "tern", "thrush", "tiger", "toucan", "trout", "tundra", "turtle",
    "valley", "viper", "vole", "walrus", "warbler", "weasel", "whale", "willow", "wolf",
    "wombat", "wren", "yak", "zebra",
];

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;
    use std::collections::BTreeSet;

    #[test]
    fn lists_are_large_unique_and_file_name_safe() {
        for list in [ADJECTIVES, NOUNS] {
            assert!(list.len() >= 140);
            assert_eq!(list.iter().collect::<BTreeSet<_>>().len(), list.len());
            assert!(
                list.iter()
                    .all(|w| w.bytes().all(|b| b.is_ascii_lowercase()))
            );
        }
    }

    #[test]
    fn names_are_adjective_underscore_noun() {
        let mut rng = rand::rngs::StdRng::seed_from_u64(7);
        for _ in 0..50 {
            let name = random_name(&mut rng);
            let (a, n) = name.split_once('_').unwrap();
            assert!(ADJECTIVES.contains(&a) && NOUNS.contains(&n), "{name}");
        }
    }
}
