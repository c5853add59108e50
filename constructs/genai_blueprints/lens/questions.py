"""One review question per Generative AI Lens best practice, for what no rule can read from a template.

The lens review report lists, for every best practice that no active rule covers, the question the
team answers by hand (in a review meeting, or in the pull request that changes the workload). Each
question names what to look at and what a good answer contains, so that "yes" alone does not answer
it. Keyed by the ids of :data:`genai_blueprints.lens.rule.BEST_PRACTICES`, in its order; a test keeps
the two in step. Plain data: this module imports nothing from the lens packs.
"""

from __future__ import annotations

REVIEW_QUESTIONS: dict[str, str] = {
    # Operational Excellence
    "GENOPS01-BP01": "Which evaluation set, stratified by use case and user segment, runs against the model on a "
                     "schedule, with which custom metrics and pass thresholds, and who acts when a score drops?",
    "GENOPS01-BP02": "How do users rate or flag a response, where is that feedback stored together with the prompt "
                     "version and model id, and which dashboard or alarm shows a rise in negative feedback?",
    "GENOPS02-BP01": "Can you follow one user request from the front end through the API, the functions, retrieval "
                     "and the model call in your traces and dashboards, and which alarm fires when any layer misses "
                     "its latency or error objective?",
    "GENOPS02-BP02": "Which dashboard shows invocations, latency, throttles and input and output tokens per model, "
                     "and which alarms cover throttling and a spike in token usage?",
    "GENOPS02-BP03": "What limits the requests of each user or client (usage plans, throttling, reserved "
                     "concurrency), and what does a caller see when it reaches the limit?",
    "GENOPS03-BP01": "Where are prompt templates versioned, which tests run against a new prompt version before it "
                     "is deployed, and how do you roll back to the previous version?",
    "GENOPS03-BP02": "Do the traces of agent and retrieval workflows record every step (retrieved chunks, tool "
                     "calls, model calls), so that you can explain why a given answer was produced?",
    "GENOPS04-BP01": "Is every resource of the application (models, guardrails, knowledge bases, prompts, agents) "
                     "deployed from infrastructure as code through a pipeline, with no changes made by hand in the "
                     "console?",
    "GENOPS04-BP02": "Does a change to a prompt, model or retrieval setting reach production only after an automated "
                     "evaluation against your ground truth, and is each deployed combination versioned as one?",
    "GENOPS05-BP01": "Before fine-tuning or continued pre-training, which prompt engineering and retrieval "
                     "approaches did you try, and which measured gap justifies customizing the model?",
    # Security
    "GENSEC01-BP01": "Which principals can invoke each model or endpoint, and is each grant limited to the model "
                     "ARNs and the actions that caller needs?",
    "GENSEC01-BP02": "Does the traffic between the application and the models stay on private networks (VPC "
                     "interface endpoints with endpoint policies), with no path over the public internet?",
    "GENSEC01-BP03": "Which data stores can the roles on the model side (knowledge base, agent, endpoint execution "
                     "role) read, and are they limited to the buckets, prefixes, indexes and keys the workload "
                     "needs?",
    "GENSEC01-BP04": "Is every model invocation recorded (CloudTrail data events, model invocation logging), and who "
                     "reviews those records or is alerted on unusual callers and volumes?",
    "GENSEC02-BP01": "Which guardrail applies to each model call whose output reaches a user, which content, "
                     "denied-topic, sensitive-information and grounding filters does it enable, and how were their "
                     "thresholds tested?",
    "GENSEC03-BP01": "Are control-plane changes (guardrails, agents, knowledge bases, model access) and data-plane "
                     "calls logged to a trail the workload team cannot alter, with an alert on sensitive changes?",
    "GENSEC04-BP01": "Who can create, change and publish prompts in your catalog, is every change reviewed and "
                     "encrypted with your key, and can the application read only the published versions?",
    "GENSEC04-BP02": "What validates user input before it reaches a model (length limits, allowed formats, "
                     "prompt-attack filters), and what happens to an input that is rejected?",
    "GENSEC05-BP01": "What can each agent's tools do on the agent's behalf, are their roles held by permissions "
                     "boundaries, and which actions need a person to confirm them?",
    "GENSEC06-BP01": "Before data trains or fine-tunes a model, what removes personal data, secrets, toxic content "
                     "and poisoned or duplicated records, and who signs off the cleaned data set?",
    # Reliability
    "GENREL01-BP01": "What throughput (requests or tokens per minute) does peak load need from each model, which "
                     "quota or provisioned throughput covers it, and what queues or sheds the requests beyond it?",
    "GENREL02-BP01": "Are the network paths to the model endpoints redundant (interface endpoints in at least two "
                     "Availability Zones, no single NAT gateway on the path)?",
    "GENREL03-BP01": "When a model call fails, times out or returns malformed output, what does the flow do (retry "
                     "with backoff, a fallback model, a clear error to the user), and has that path been tested?",
    "GENREL03-BP02": "Which timeout bounds each agent step and each whole agent session, and what does the user get "
                     "when it is reached?",
    "GENREL04-BP01": "Does every deployed application pin a prompt version from the catalog, and can you tell which "
                     "prompt version produced a given response?",
    "GENREL04-BP02": "Where is each model version the application uses registered (model registry, model card) with "
                     "its evaluation results and approval status, and can you redeploy the previous version?",
    "GENREL05-BP01": "Do model calls use cross-Region inference profiles or a multi-Region routing of your own, and "
                     "has the application been tested with its primary Region's model unavailable?",
    "GENREL05-BP02": "Are the vector store and its source documents replicated to every Region the application "
                     "runs in, and how far behind may a replica be?",
    "GENREL05-BP03": "Are the models, tools and knowledge bases each agent depends on available in every Region you "
                     "fail over to, and is that checked before a failover?",
    "GENREL06-BP01": "Do long training and batch inference jobs checkpoint their progress and resume after an "
                     "instance fails, and how much work can one failure lose?",
    # Performance Efficiency
    "GENPERF01-BP01": "Which ground-truth set of prompts and expected responses do you keep for each use case, who "
                      "curates it, and how often is it refreshed?",
    "GENPERF01-BP02": "Which quality and latency metrics (accuracy, faithfulness, relevance, time to first token) "
                      "are collected from real traffic, and how are they compared with the ground-truth results?",
    "GENPERF02-BP01": "Have you load-tested each model endpoint at the expected peak and beyond, and which latency, "
                      "throttling and error rates did the test show?",
    "GENPERF02-BP02": "How were temperature, top-p and the maximum tokens chosen for each prompt, and which "
                      "evaluation results back the values?",
    "GENPERF02-BP03": "Which candidate models were compared on your own evaluation set, for quality, latency and "
                      "cost, before this one was chosen?",
    "GENPERF03-BP01": "Where do you host or customize models on infrastructure you manage yourself, and why does a "
                      "managed service not fit there?",
    "GENPERF04-BP01": "Has the vector store been tested for query latency and retrieval relevance at the index size "
                      "and query rate you expect?",
    "GENPERF04-BP02": "Which embedding dimension did you choose, and which retrieval quality and storage cost did "
                      "you measure for smaller dimensions?",
    # Cost Optimization
    "GENCOST01-BP01": "Is each task served by the smallest model that meets its quality bar on your evaluation set, "
                      "and when did you last compare a smaller one?",
    "GENCOST02-BP01": "For each workload, why was on-demand, provisioned, batch, asynchronous or real-time inference "
                      "chosen, given its traffic pattern and the latency it needs?",
    "GENCOST02-BP02": "How busy are the instances of each hosted endpoint, and do idle endpoints scale in (to zero "
                      "where the hosting allows it) or get removed?",
    "GENCOST03-BP01": "How many input tokens does each prompt template use at the median and the 95th percentile, "
                      "and what keeps that down (shorter instructions, fewer examples, prompt caching, less "
                      "retrieved context)?",
    "GENCOST03-BP02": "Does every model call set a maximum number of output tokens, and which output lengths do you "
                      "see in practice?",
    "GENCOST04-BP01": "Would a smaller embedding dimension or a quantized vector type keep your retrieval quality, "
                      "and what would it save in storage and query cost?",
    "GENCOST05-BP01": "What stops a long-running or looping agent workflow (maximum steps, tool calls, tokens or "
                      "time), and who is told when a workflow hits the limit?",
    # Sustainability
    "GENSUS01-BP01": "Do the hosting resources follow demand (serverless or on-demand inference, scale to zero when "
                     "idle) rather than run at a fixed size?",
    "GENSUS01-BP02": "When you customize a model, do you use parameter-efficient methods (LoRA, adapters) and "
                     "managed training on efficient instances rather than full retraining?",
    "GENSUS02-BP01": "Do lifecycle rules expire or move to colder storage the intermediate data, model artifacts, "
                     "logs and embeddings you no longer need, and are duplicate copies avoided?",
    "GENSUS03-BP01": "Where a smaller or distilled model meets the quality bar, is it used instead of a larger one, "
                     "and is that choice reviewed when new models are released?",
}


def review_question(best_practice: str) -> str:
    """The review question of a Generative AI Lens best practice (``""`` for an id it does not know)."""
    return REVIEW_QUESTIONS.get(best_practice, "")
