//! The protocol's typed shape. Content lives in `core/content/protocol.<locale>.json`;
//! these types are what the app reads it into.

use serde::{Deserialize, Serialize};

use crate::Locale;

#[derive(Debug, Clone, Deserialize)]
pub struct Protocol {
    pub locale: Locale,
    /// Set on every locale that is not the source text: shown so nobody mistakes it for the original.
    pub translation_note: Option<String>,
    pub title: String,
    pub intro: Vec<String>,
    pub general_points: PointList,
    pub kinds_intro: String,
    pub kinds: Vec<AggressionKind>,
    pub procedures_title: String,
    pub flows: Vec<Flow>,
    pub extreme: Extreme,
    pub aftercare: Aftercare,
    pub sanctions: Sanctions,
}

#[derive(Debug, Clone, Deserialize)]
pub struct PointList {
    pub title: String,
    pub items: Vec<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum KindId {
    Frustratie,
    Instrumenteel,
}

#[derive(Debug, Clone, Deserialize)]
pub struct AggressionKind {
    pub id: KindId,
    pub title: String,
    pub definition: String,
    pub key_point: String,
    pub responses_title: String,
    pub responses: Vec<String>,
}

/// The three procedures of section 1.3.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum FlowId {
    Kantoor,
    Woning,
    Telefoon,
}

impl FlowId {
    pub const ALL: [FlowId; 3] = [FlowId::Kantoor, FlowId::Woning, FlowId::Telefoon];

    /// The path segment of the flow's route.
    pub fn slug(self) -> &'static str {
        match self {
            FlowId::Kantoor => "kantoor",
            FlowId::Woning => "woning",
            FlowId::Telefoon => "telefoon",
        }
    }

    pub fn from_slug(slug: &str) -> Option<FlowId> {
        FlowId::ALL.into_iter().find(|f| f.slug() == slug)
    }
}

#[derive(Debug, Clone, Deserialize)]
pub struct Flow {
    pub id: FlowId,
    pub title: String,
    /// The registration form's `situatie` value a run of this flow prefills.
    pub situation: String,
    /// Points to read before the steps (the home-visit bullets).
    pub intro: Vec<String>,
    pub start: String,
    pub nodes: Vec<Node>,
}

impl Flow {
    pub fn node(&self, id: &str) -> Option<&Node> {
        self.nodes.iter().find(|n| n.id == id)
    }
}

impl Protocol {
    /// Every `FlowId` has its flow (checked by the content tests for every locale).
    pub fn flow(&self, id: FlowId) -> Option<&Flow> {
        self.flows.iter().find(|f| f.id == id)
    }
}

/// One box of a flowchart: a step with answers, or an end state.
#[derive(Debug, Clone, Deserialize)]
pub struct Node {
    pub id: String,
    pub text: String,
    #[serde(default)]
    pub detail: Option<String>,
    #[serde(default)]
    pub actions: Vec<Action>,
    /// A tally shown on the step (the requests to leave the building).
    #[serde(default)]
    pub counter: Option<Counter>,
    #[serde(default)]
    pub answers: Vec<Answer>,
    #[serde(default)]
    pub end: Option<End>,
    /// Passing this step means the report is also a warning for colleagues (the phone flow:
    /// "registreer voor collega's"); a report made from the run has it switched on.
    #[serde(default)]
    pub warn_colleagues: bool,
}

impl Node {
    pub fn is_end(&self) -> bool {
        self.end.is_some()
    }

    pub fn answer(&self, id: &str) -> Option<&Answer> {
        self.answers.iter().find(|a| a.id == id)
    }

    pub fn action(&self, tick: &str) -> Option<&Action> {
        self.actions
            .iter()
            .find(|a| a.tick.as_deref() == Some(tick))
    }
}

#[derive(Debug, Clone, Deserialize)]
pub struct Answer {
    pub id: String,
    pub label: String,
    pub next: String,
    /// The label is the app's own wording: the flowchart has no such box or arrow, but the
    /// flow needs the way to be walkable. Shown as such in the reference; checked by the
    /// content test (a label without it must be the source's words).
    #[serde(default)]
    pub own: bool,
    /// Tapping it records that the silent alarm was pressed (the office chart's "Politie wordt
    /// ingeschakeld door stil alarm").
    #[serde(default)]
    pub silent_alarm: bool,
}

/// A tally kept on a step with its times (the requests to leave the building). It gates
/// nothing: the protocol says "zo nodig 3x", so fetching the manager never waits for taps.
#[derive(Debug, Clone, Deserialize)]
pub struct Counter {
    pub max: u8,
    pub label: String,
    /// Said once the tally reached `max` (the app's own wording of the protocol's rule).
    pub reached: String,
}

/// Something to do at a step, with a call button when it means phoning someone. With a `tick`
/// id it is also ticked off with its time, each action on its own, so the log says which were
/// done.
#[derive(Debug, Clone, Deserialize)]
pub struct Action {
    pub text: String,
    pub call: Option<CallTarget>,
    #[serde(default)]
    pub tick: Option<String>,
    /// The app's own wording (see [`Answer::own`]).
    #[serde(default)]
    pub own: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum CallTarget {
    /// 112 for emergencies (fixed, never configurable), with the police's non-emergency
    /// number beside it: the protocol says "bel indien nodig de politie".
    Police,
    /// Numbers from the organisation settings.
    Manager,
    Office,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Outcome {
    /// The conversation continues.
    Calm,
    /// Possible sanctions follow.
    Sanctions,
}

#[derive(Debug, Clone, Deserialize)]
pub struct End {
    pub outcome: Outcome,
    pub police: bool,
    #[serde(default)]
    pub then: Vec<String>,
}

/// What an end screen may say about registering the incident.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RegisterRule {
    /// "Ieder voorval registreren": the protocol's own rule (sections 1.4 and 2).
    EveryIncident,
    /// The conversation went on calmly: the protocol leaves it to the manager ("de
    /// leidinggevende bepaalt met betrokkene in welke gevallen het formulier ingevuld wordt").
    ManagerDecides,
}

impl End {
    pub fn register_rule(&self) -> RegisterRule {
        match (self.outcome, self.police) {
            (Outcome::Calm, false) => RegisterRule::ManagerDecides,
            _ => RegisterRule::EveryIncident,
        }
    }
}

#[derive(Debug, Clone, Deserialize)]
pub struct Extreme {
    pub title: String,
    pub definition: String,
    pub during_title: String,
    pub during: Vec<String>,
    pub after_title: String,
    pub after: Vec<String>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct Aftercare {
    pub title: String,
    pub intro: Vec<String>,
    pub first_care_title: String,
    pub first_care: Vec<String>,
    pub follow_up_title: String,
    pub follow_up: Vec<String>,
    pub model_title: String,
    pub conversations: Vec<Conversation>,
    pub extreme_title: String,
    pub extreme: String,
    pub processing: Vec<String>,
    pub reactions_title: String,
    pub reactions: Vec<String>,
    pub processing_after: Vec<String>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct Conversation {
    pub id: String,
    pub title: String,
    pub when: String,
    pub checklist: Vec<String>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct Sanctions {
    pub title: String,
    pub intro: Vec<String>,
    pub list_title: String,
    pub list: Vec<String>,
    pub explained: Vec<Explained>,
    pub closing: Vec<String>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct Explained {
    pub title: String,
    pub paragraphs: Vec<String>,
}
