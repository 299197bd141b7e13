//! The default taxonomy: event types, contributing factors and the coarse context fields.
//! Slugs are stable snake_case identifiers used in forms, the API and the database; labels
//! are what people read.

use serde::Serialize;

/// One value of a coded field.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Term {
    pub slug: &'static str,
    pub label: &'static str,
}

/// A coded field of the submission form and of published reports.
#[derive(Debug, Clone, Copy, Serialize)]
pub struct Field {
    pub name: &'static str,
    pub label: &'static str,
    /// Whether several terms may be chosen at once.
    pub multiple: bool,
    pub terms: &'static [Term],
}

impl Field {
    pub fn term(&self, slug: &str) -> Option<&'static Term> {
        self.terms.iter().find(|term| term.slug == slug)
    }

    pub fn label_of(&self, slug: &str) -> &'static str {
        self.term(slug).map_or("", |term| term.label)
    }
}

const fn t(slug: &'static str, label: &'static str) -> Term {
    Term { slug, label }
}

pub const EVENT_TYPE: Field = Field {
    name: "event_type",
    label: "Event type",
    multiple: false,
    terms: &[
        t("traffic_stop", "Traffic stop"),
        t("vehicle_pursuit", "Vehicle pursuit"),
        t("foot_pursuit", "Foot pursuit"),
        t("domestic_disturbance", "Domestic disturbance"),
        t("armed_subject", "Armed subject / person with a weapon"),
        t("shots_fired", "Shots fired / active shooter"),
        t("crime_in_progress", "Robbery, burglary or theft in progress"),
        t("mental_health_crisis", "Mental-health or suicide crisis"),
        t("warrant_service", "Warrant service / search warrant"),
        t("arrest_handcuffing", "Arrest and handcuffing"),
        t("prisoner_transport", "Prisoner transport or booking"),
        t("roadside_struck_by", "Roadside or crash scene (struck-by)"),
        t("ambush", "Ambush / unprovoked attack"),
        t("civil_disorder", "Crowd or civil disorder"),
        t("building_search", "Building search / alarm call"),
        t(
            "hazardous_exposure",
            "Hazardous exposure (drugs, chemicals, blood)",
        ),
        t("off_duty", "Off-duty incident"),
        t("training", "Training"),
        t("other", "Other"),
    ],
};

pub const CONTRIBUTING_FACTORS: Field = Field {
    name: "contributing_factors",
    label: "Contributing factors",
    multiple: true,
    terms: &[
        t("situational_awareness", "Situational awareness"),
        t("complacency", "Complacency"),
        t("communication", "Communication (radio, dispatch, partner)"),
        t("tactics_positioning", "Tactics and positioning"),
        t("cover_concealment", "Cover and concealment"),
        t("backup_staffing", "Backup or staffing"),
        t("missed_weapon", "Missed weapon in a search"),
        t("handcuffing_restraint", "Handcuffing or restraint"),
        t("equipment_failure", "Equipment failure"),
        t("vehicle_operation", "Vehicle operation (speed, seat belt)"),
        t("fatigue", "Fatigue"),
        t("training_gap", "Training gap"),
        t("policy_procedure", "Policy or procedure"),
        t("dispatch_information", "Information from dispatch"),
        t("lighting_weather_terrain", "Lighting, weather or terrain"),
        t("traffic", "Traffic"),
        t("subject_impaired", "Subject impaired"),
        t("subject_mental_health", "Subject in mental-health crisis"),
        t("officer_stress_health", "Officer stress or health"),
        t("decision_making", "Decision making"),
        t("human_error", "Human error"),
    ],
};

pub const LOSS_POTENTIAL: Field = Field {
    name: "loss_potential",
    label: "Loss potential",
    multiple: false,
    terms: &[
        t("death", "Death"),
        t("serious_injury", "Serious injury"),
        t("minor_injury", "Minor injury"),
        t("property_damage", "Property damage"),
    ],
};

pub const PREVENTED_BY: Field = Field {
    name: "prevented_by",
    label: "What prevented harm",
    multiple: false,
    terms: &[
        t("partner_backup", "Partner or backup"),
        t("equipment", "Equipment"),
        t("training_tactics", "Training or tactics"),
        t("subject_choice", "Subject's choice or weapon failure"),
        t("luck", "Luck"),
        t("other", "Other"),
    ],
};

pub const COULD_HAPPEN_AGAIN: Field = Field {
    name: "could_happen_again",
    label: "Could it happen again?",
    multiple: false,
    terms: &[t("yes", "Yes"), t("no", "No")],
};

pub const ASSIGNMENT: Field = Field {
    name: "assignment",
    label: "Officer assignment",
    multiple: false,
    terms: &[
        t("patrol", "Patrol"),
        t("traffic", "Traffic"),
        t("investigations", "Investigations"),
        t("tactical", "Tactical / SWAT"),
        t("corrections", "Corrections / detention"),
        t("school", "School resource"),
        t("k9", "K-9"),
        t("supervisor", "Supervisor"),
        t("other", "Other"),
    ],
};

pub const EXPERIENCE: Field = Field {
    name: "experience",
    label: "Years of experience",
    multiple: false,
    terms: &[
        t("0_2", "Less than 3 years"),
        t("3_5", "3 to 5 years"),
        t("6_10", "6 to 10 years"),
        t("11_20", "11 to 20 years"),
        t("over_20", "More than 20 years"),
    ],
};

pub const AGENCY_TYPE: Field = Field {
    name: "agency_type",
    label: "Agency type",
    multiple: false,
    terms: &[
        t("municipal", "Municipal police"),
        t("sheriff", "Sheriff's office"),
        t("state", "State police / highway patrol"),
        t("federal", "Federal"),
        t("tribal", "Tribal"),
        t("university", "College or university"),
        t("transit_special", "Transit or special district"),
        t("other", "Other"),
    ],
};

pub const AGENCY_SIZE: Field = Field {
    name: "agency_size",
    label: "Agency size (sworn officers)",
    multiple: false,
    terms: &[
        t("1_10", "1 to 10"),
        t("11_50", "11 to 50"),
        t("51_250", "51 to 250"),
        t("251_1000", "251 to 1,000"),
        t("over_1000", "More than 1,000"),
    ],
};

pub const STATE: Field = Field {
    name: "state",
    label: "State",
    multiple: false,
    terms: &[
        t("AL", "Alabama"),
        t("AK", "Alaska"),
        t("AZ", "Arizona"),
        t("AR", "Arkansas"),
        t("CA", "California"),
        t("CO", "Colorado"),
        t("CT", "Connecticut"),
        t("DE", "Delaware"),
        t("DC", "District of Columbia"),
        t("FL", "Florida"),
        t("GA", "Georgia"),
        t("HI", "Hawaii"),
        t("ID", "Idaho"),
        t("IL", "Illinois"),
        t("IN", "Indiana"),
        t("IA", "Iowa"),
        t("KS", "Kansas"),
        t("KY", "Kentucky"),
        t("LA", "Louisiana"),
        t("ME", "Maine"),
        t("MD", "Maryland"),
        t("MA", "Massachusetts"),
        t("MI", "Michigan"),
        t("MN", "Minnesota"),
        t("MS", "Mississippi"),
        t("MO", "Missouri"),
        t("MT", "Montana"),
        t("NE", "Nebraska"),
        t("NV", "Nevada"),
        t("NH", "New Hampshire"),
        t("NJ", "New Jersey"),
        t("NM", "New Mexico"),
        t("NY", "New York"),
        t("NC", "North Carolina"),
        t("ND", "North Dakota"),
        t("OH", "Ohio"),
        t("OK", "Oklahoma"),
        t("OR", "Oregon"),
        t("PA", "Pennsylvania"),
        t("RI", "Rhode Island"),
        t("SC", "South Carolina"),
        t("SD", "South Dakota"),
        t("TN", "Tennessee"),
        t("TX", "Texas"),
        t("UT", "Utah"),
        t("VT", "Vermont"),
        t("VA", "Virginia"),
        t("WA", "Washington"),
        t("WV", "West Virginia"),
        t("WI", "Wisconsin"),
        t("WY", "Wyoming"),
        t("PR", "Puerto Rico"),
        t("GU", "Guam"),
        t("VI", "U.S. Virgin Islands"),
    ],
};

pub const LOCATION_TYPE: Field = Field {
    name: "location_type",
    label: "Location type",
    multiple: false,
    terms: &[
        t("roadway", "Roadway or highway"),
        t("residence", "Residence"),
        t("business", "Business or retail"),
        t("school", "School or campus"),
        t("jail", "Jail, court or station"),
        t("hospital", "Hospital or medical facility"),
        t("outdoors", "Park or open land"),
        t("transit", "Transit or airport"),
        t("other", "Other"),
    ],
};

/// Six-hour blocks of the local time of day; exact times are never stored.
pub const TIME_OF_DAY: Field = Field {
    name: "time_of_day",
    label: "Time of day",
    multiple: false,
    terms: &[
        t("night", "Night (00:00-05:59)"),
        t("morning", "Morning (06:00-11:59)"),
        t("afternoon", "Afternoon (12:00-17:59)"),
        t("evening", "Evening (18:00-23:59)"),
    ],
};

pub const LIGHTING: Field = Field {
    name: "lighting",
    label: "Lighting",
    multiple: false,
    terms: &[
        t("daylight", "Daylight"),
        t("dawn_dusk", "Dawn or dusk"),
        t("dark_lit", "Dark, artificial light"),
        t("dark_unlit", "Dark, no light"),
    ],
};

pub const WEATHER: Field = Field {
    name: "weather",
    label: "Weather",
    multiple: false,
    terms: &[
        t("clear", "Clear"),
        t("rain", "Rain"),
        t("snow_ice", "Snow or ice"),
        t("fog", "Fog"),
        t("wind", "High wind"),
        t("extreme_heat", "Extreme heat"),
        t("other", "Other"),
    ],
};

pub const OFFICERS_ON_SCENE: Field = Field {
    name: "officers_on_scene",
    label: "Officers on scene",
    multiple: false,
    terms: &[t("1", "1"), t("2", "2"), t("3_or_more", "3 or more")],
};

/// The optional single-choice context fields, in form order.
pub const CONTEXT_FIELDS: &[Field] = &[
    LOSS_POTENTIAL,
    PREVENTED_BY,
    COULD_HAPPEN_AGAIN,
    ASSIGNMENT,
    EXPERIENCE,
    AGENCY_TYPE,
    AGENCY_SIZE,
    STATE,
    LOCATION_TYPE,
    TIME_OF_DAY,
    LIGHTING,
    WEATHER,
    OFFICERS_ON_SCENE,
];

/// US Census Bureau regions. Puerto Rico, Guam and the U.S. Virgin Islands belong to none.
pub const REGION: Field = Field {
    name: "region",
    label: "Region",
    multiple: false,
    terms: &[
        t("northeast", "Northeast"),
        t("midwest", "Midwest"),
        t("south", "South"),
        t("west", "West"),
    ],
};

/// Returns the census region slug of a state code from [`STATE`], or `None` for territories
/// and unknown codes.
pub fn region_of_state(code: &str) -> Option<&'static str> {
    let region = match code {
        "CT" | "ME" | "MA" | "NH" | "RI" | "VT" | "NJ" | "NY" | "PA" => "northeast",
        "IL" | "IN" | "MI" | "OH" | "WI" | "IA" | "KS" | "MN" | "MO" | "NE" | "ND" | "SD" => "midwest",
        "DE" | "DC" | "FL" | "GA" | "MD" | "NC" | "SC" | "VA" | "WV" | "AL" | "KY" | "MS" | "TN" | "AR"
        | "LA" | "OK" | "TX" => "south",
        "AZ" | "CO" | "ID" | "MT" | "NV" | "NM" | "UT" | "WY" | "AK" | "CA" | "HI" | "OR" | "WA" => "west",
        _ => return None,
    };
    Some(region)
}

pub fn context_field(name: &str) -> Option<&'static Field> {
    CONTEXT_FIELDS.iter().find(|field| field.name == name)
}

/// Every coded field, for the taxonomy API.
pub fn all_fields() -> Vec<&'static Field> {
    let mut fields = vec![&EVENT_TYPE, &CONTRIBUTING_FACTORS];
    fields.extend(CONTEXT_FIELDS.iter());
    fields
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_are_unique_snake_case() {
        for field in all_fields() {
            let mut seen = std::collections::HashSet::new();
            for term in field.terms {
                assert!(seen.insert(term.slug), "{} repeats {}", field.name, term.slug);
                let allowed = |c: char| c.is_ascii_alphanumeric() || c == '_';
                assert!(
                    term.slug.chars().all(allowed),
                    "{} has slug {}",
                    field.name,
                    term.slug
                );
            }
        }
    }

    #[test]
    fn every_state_has_one_region() {
        let territories = ["PR", "GU", "VI"];
        for term in STATE.terms {
            let region = region_of_state(term.slug);
            if territories.contains(&term.slug) {
                assert_eq!(region, None, "{} is a territory", term.slug);
            } else {
                let region = region.unwrap_or_else(|| panic!("{} has no region", term.slug));
                assert!(REGION.term(region).is_some(), "{} maps to {region}", term.slug);
            }
        }
        assert_eq!(region_of_state("TX"), Some("south"));
        assert_eq!(region_of_state("XX"), None);
    }

    #[test]
    fn event_types_include_other() {
        assert!(EVENT_TYPE.term("other").is_some());
        assert!(EVENT_TYPE
            .terms
            .iter()
            .all(|term| term.slug == term.slug.to_ascii_lowercase()));
    }
}
