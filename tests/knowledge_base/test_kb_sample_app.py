"""The DocumentQa sample: the real Guardrail wired into the knowledge base, and two narrow roles."""

from __future__ import annotations

import json

from aws_cdk.assertions import Match


def _template(sample_app):
    return sample_app.template("DocumentQa")


def test_guardrail_is_published_grounded_and_masks_contact_details(sample_app):
    template = _template(sample_app)
    template.has_resource_properties("AWS::Bedrock::Guardrail", {
        "ContextualGroundingPolicyConfig": {"FiltersConfig": Match.array_with([
            {"Type": "GROUNDING", "Threshold": 0.7}])},
        "SensitiveInformationPolicyConfig": {"PiiEntitiesConfig": Match.array_with([
            Match.object_like({"Type": "EMAIL", "Action": "ANONYMIZE"})])},
    })
    template.resource_count_is("AWS::Bedrock::GuardrailVersion", 1)
    template.has_resource_properties("AWS::Lambda::Function", {"Environment": {"Variables": Match.object_like({
        "GUARDRAIL_VERSION": {"Fn::GetAtt": [Match.string_like_regexp("GuardrailVersion"), "Version"]},
        "MAX_ANSWER_TOKENS": "400"})}})


def test_documents_prefix_is_the_only_ingested_and_writable_prefix(sample_app):
    template = _template(sample_app)
    template.has_resource_properties("AWS::Bedrock::DataSource", {"DataSourceConfiguration": {
        "S3Configuration": {"InclusionPrefixes": ["documents/"]}, "Type": "S3"}})
    editor = [s for logical_id, policy in template.find_resources("AWS::IAM::Policy").items()
              if logical_id.startswith("DocumentEditorRole")
              for s in policy["Properties"]["PolicyDocument"]["Statement"]]
    s3_statement = next(s for s in editor if "s3:PutObject" in s["Action"])
    assert json.dumps(s3_statement["Resource"]).endswith('"/documents/*"]]}')


def test_question_asker_may_only_call_the_query_and_feedback_urls(sample_app):
    template = _template(sample_app)
    asker = [s for logical_id, policy in template.find_resources("AWS::IAM::Policy").items()
             if logical_id.startswith("QuestionAskerRole")
             for s in policy["Properties"]["PolicyDocument"]["Statement"]]
    # lambda:InvokeFunction too (function URLs need both), but only through the URL.
    conditions = {
        "lambda:InvokeFunctionUrl": {"StringEquals": {"lambda:FunctionUrlAuthType": "AWS_IAM"}},
        "lambda:InvokeFunction": {"Bool": {"lambda:InvokedViaFunctionUrl": True}},
    }
    assert asker and all(s["Condition"] == conditions[s["Action"]] for s in asker)
    resources = {r["Fn::GetAtt"][0] for s in asker for r in (s["Resource"] if isinstance(s["Resource"], list) else [s["Resource"]])}
    functions = template.find_resources("AWS::Lambda::Function")
    assert resources == {next(k for k in functions if k.startswith("DocumentsQueryHandler")),
                         next(k for k in functions if k.startswith("FeedbackHandler"))}


def test_outputs_tell_users_where_to_upload_and_ask(sample_app):
    outputs = sample_app.templates["DocumentQa"]["Outputs"]
    assert {"QueryUrl", "DocumentsBucketName", "DocumentsPrefix", "KnowledgeBaseId", "DataSourceId"} <= set(outputs)
    assert outputs["DocumentsPrefix"]["Value"] == "documents/"
