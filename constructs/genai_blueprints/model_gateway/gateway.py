"""ModelGateway: one governed API through which every tenant calls foundation models."""

from __future__ import annotations

import json
from collections.abc import Sequence

import aws_cdk as cdk
from aws_cdk import aws_apigateway as apigateway
from aws_cdk import aws_cloudwatch as cloudwatch
from aws_cdk import aws_cognito as cognito
from aws_cdk import aws_dynamodb as dynamodb
from aws_cdk import aws_iam as iam
from aws_cdk import aws_kms as kms
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_logs as logs
from aws_cdk import aws_sns as sns
from aws_cdk import aws_wafv2 as wafv2
from constructs import Construct

from genai_blueprints.acknowledgements import acknowledge, nag_text
from genai_blueprints.alarms import alarm_at_least
from genai_blueprints.compliance import TABLE_BACKUP, acknowledge_compliance
from genai_blueprints.handler_function import METRICS_NAMESPACE, Invocation, PythonHandlerFunction
from genai_blueprints.metrics import MetricOptions, blueprint_metric
from genai_blueprints.model_gateway.inference_profiles import TENANT_TAG, TenantInferenceProfile
from genai_blueprints.model_gateway.options import (
    MAX_TENANTS,
    GatewayAuthorization,
    SemanticCacheOptions,
    TenantConfig,
)
from genai_blueprints.model_gateway.semantic_cache import SemanticCacheIndex
from genai_blueprints.monitoring import MonitoredConstruct, new_alarm_topic
from genai_blueprints.network import NetworkOptions, check_network
from genai_blueprints.platform.budget import CostBudget
from genai_blueprints.platform.prompt_catalog import PromptCatalog
from genai_blueprints.platform.tagging import CostAllocationTags
from genai_blueprints.resource_policies import allow_logs_to_use_key
from genai_blueprints.validation import KMS_KEY, SNS_TOPIC, PropsValidator, resolved_region

STAGE_NAME = "v1"
CONVERSE_PATH = "/tenants/{tenant}/converse"
# Lambda environment variables: 4 KB in all (Lambda developer guide, configuration-envvars); the tenants
# JSON is checked against this share of it, counting each deploy-time value (an ARN, an id) as 120 characters.
MAX_TENANTS_JSON = 3_000
_TOKEN_WIDTH = 120
_SUM = MetricOptions(statistic="Sum")


class ModelGateway(MonitoredConstruct):
    """A REST API (API Gateway) in front of Bedrock's Converse, for many tenants.

    POST /v1/tenants/<tenant>/converse takes a Converse-shaped request (messages, system,
    inferenceConfig) or a prompt of the PromptCatalog by id and version with variables, rendered by
    the gateway. Every tenant has:
    - a usage plan and API key (rate, burst and monthly request quota); callers authenticate with IAM
      (SigV4, the default), a Cognito user pool, or the API key alone;
    - its allowed models, each through an application inference profile of its own tagged
      genai:tenant=<tenant> (cost per tenant in Cost Explorer), and optionally a CostBudget;
    - a token budget per UTC day and month, reserved before each call and settled from Bedrock's usage;
    - its guardrail on every call, and whether its answers may be cached.

    The cache answers exact repeats (DynamoDB) and, for single-turn prompts, near repeats of the same
    tenant (an S3 Vectors index). Retries with the same Idempotency-Key are answered once.

    Attributes:
        api: the REST API.
        stage: its stage (v1).
        function: the gateway function.
        state_table: budgets, cached answers and idempotency records (partition key id, TTL expiration).
        encryption_key: encrypts the table, the vector index, the logs and the function's environment.
        semantic_cache: the vector index, or None when the semantic cache is off.
        profiles: tenant -> model id -> TenantInferenceProfile.
        api_keys: tenant -> its API key.
        usage_plans: tenant -> its usage plan.
        budgets: tenant -> its CostBudget (tenants with monthly_cost_limit_usd).
        access_log_group: the API's access logs.
        service_name: the Powertools service dimension of the gateway's metrics.
    """

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        tenants: Sequence[TenantConfig],
        prompt_catalog: PromptCatalog | None = None,
        authorization: GatewayAuthorization = GatewayAuthorization.IAM,
        user_pool: cognito.IUserPool | None = None,
        semantic_cache: SemanticCacheOptions = SemanticCacheOptions(),
        cache_ttl: cdk.Duration = cdk.Duration.hours(1),
        idempotency_ttl: cdk.Duration = cdk.Duration.hours(1),
        max_input_chars: int = 100_000,
        encryption_key: kms.IKey | None = None,
        alarm_topic: sns.ITopic | None = None,
        cost_notification_topic: sns.ITopic | None = None,
        budget_alarm_percent: float = 90,
        throttle_alarm_threshold: int = 5,
        network: NetworkOptions | None = None,
        log_retention: logs.RetentionDays = logs.RetentionDays.THREE_MONTHS,
        max_concurrent_requests: int = 50,
        web_acl_arn: str | None = None,
    ) -> None:
        """
        Args:
            tenants: 1 to 50 tenants with distinct names.
            prompt_catalog: prompts callers may name ({"prompt": {"id", "version", "variables"}}). Default: none.
            authorization: Default: GatewayAuthorization.IAM.
            user_pool: the Cognito user pool, required with GatewayAuthorization.COGNITO. Default: none.
            semantic_cache: Default: SemanticCacheOptions() (on, Titan V2 at 512 dimensions, distance 0.1).
            cache_ttl: how long a cached answer is reused, 1 minute to 30 days. Default: 1 hour.
            idempotency_ttl: how long a retry with the same Idempotency-Key gets the first answer,
                1 minute to 7 days. Default: 1 hour.
            max_input_chars: the most characters of text a request may carry, 1 to 1,000,000. Default: 100,000.
            encryption_key: Default: a new customer-managed key with rotation.
            alarm_topic: Default: the topic of Observability.monitor, else one of the gateway's own.
            cost_notification_topic: notified by the tenants' CostBudgets (it must allow AWS Budgets to
                publish: Observability.alarm_topic does). Default: none (then each budgeted tenant needs
                cost_notification_emails).
            budget_alarm_percent: alarm when a tenant has spent this share of its day's or month's tokens,
                1 to 100. Default: 90.
            throttle_alarm_threshold: alarm when a tenant's calls are throttled by Bedrock this many times in
                5 minutes. Default: 5.
            network: run the function in this VPC. Default: no VPC.
            log_retention: of the API's access logs. Default: three months.
            max_concurrent_requests: the function's reserved concurrency (requests in flight), 1 to 1000.
                Default: 50.
            web_acl_arn: a regional AWS WAF web ACL to associate with the stage. Default: none (the usage
                plans throttle per tenant, and callers must sign with IAM or hold a key).
        """
        super().__init__(scope, construct_id)
        region = resolved_region(self)
        validator = PropsValidator(f"ModelGateway '{self.node.path}'")
        if validator.check_items("tenants", tenants, TenantConfig, "a TenantConfig"):
            validator.check(1 <= len(tenants) <= MAX_TENANTS, "tenants", len(tenants),
                            f"a gateway has 1 to {MAX_TENANTS} tenants")
            names = [tenant.name for tenant in tenants]
            duplicates = sorted({name for name in names if names.count(name) > 1})
            validator.check(not duplicates, "tenants", duplicates, "tenant names must be distinct")
            for index, tenant in enumerate(tenants):
                tenant.check(validator, f"tenants[{index}]", region)
                if tenant.monthly_cost_limit_usd is not None and cost_notification_topic is None:
                    validator.check(bool(tenant.cost_notification_emails), f"tenants[{index}].cost_notification_emails",
                                    list(tenant.cost_notification_emails),
                                    "a tenant with monthly_cost_limit_usd needs emails or the gateway's "
                                    "cost_notification_topic, or nobody hears about overspending")
        validator.check_type("prompt_catalog", prompt_catalog, PromptCatalog, "it must be a PromptCatalog",
                             optional=True)
        if validator.check_enum("authorization", authorization, GatewayAuthorization):
            validator.check(authorization is not GatewayAuthorization.COGNITO or user_pool is not None, "user_pool",
                            user_pool, "GatewayAuthorization.COGNITO needs the user pool whose tokens callers send")
        if validator.check_type("semantic_cache", semantic_cache, SemanticCacheOptions,
                                "it must be a SemanticCacheOptions"):
            semantic_cache.check(validator, "semantic_cache")
        for prop, duration, low, high in (("cache_ttl", cache_ttl, 60, 30 * 86_400),
                                          ("idempotency_ttl", idempotency_ttl, 60, 7 * 86_400)):
            if validator.check_type(prop, duration, cdk.Duration, "it must be a cdk.Duration"):
                seconds = duration.to_seconds()
                shown = f"{int(seconds)} seconds" if seconds == int(seconds) else f"{seconds} seconds"
                validator.check(low <= seconds <= high, prop, shown,
                                f"it must be from {low} seconds to {high // 86_400} days")
        validator.check_int_range("max_input_chars", max_input_chars, 1, 1_000_000)
        validator.check_interface("encryption_key", encryption_key, KMS_KEY, optional=True)
        validator.check_interface("alarm_topic", alarm_topic, SNS_TOPIC, optional=True)
        validator.check_interface("cost_notification_topic", cost_notification_topic, SNS_TOPIC, optional=True)
        validator.check_number_range("budget_alarm_percent", budget_alarm_percent, 1, 100, "it must be a percentage from 1 to 100")
        validator.check_int_range("throttle_alarm_threshold", throttle_alarm_threshold, 1)
        validator.check_int_range("max_concurrent_requests", max_concurrent_requests, 1, 1000)
        if validator.check_type("web_acl_arn", web_acl_arn, str, "it must be a WAF web ACL ARN (str)", optional=True) \
                and web_acl_arn is not None and not cdk.Token.is_unresolved(web_acl_arn):
            validator.check(":wafv2:" in web_acl_arn and "/webacl/" in web_acl_arn and ":global/" not in web_acl_arn,
                            "web_acl_arn", web_acl_arn, "it must be a regional WAFv2 web ACL ARN "
                            "(arn:aws:wafv2:<region>:<account>:regional/webacl/<name>/<id>)")
        check_network(validator, network)
        validator.raise_if_invalid()

        self.tenants = tuple(tenants)
        self.authorization = authorization
        self.service_name = "model-gateway-" + cdk.Names.unique_id(self)[-24:].lower()
        self.encryption_key: kms.IKey = encryption_key or kms.Key(
            self, "Key", enable_key_rotation=True, description="Encrypts the model gateway's state, cache and logs")
        self._monitor_with(alarm_topic, lambda: new_alarm_topic(self, self.encryption_key))
        self.state_table = dynamodb.Table(
            self, "State",
            partition_key=dynamodb.Attribute(name="id", type=dynamodb.AttributeType.STRING),
            billing_mode=dynamodb.BillingMode.PAY_PER_REQUEST,
            encryption=dynamodb.TableEncryption.CUSTOMER_MANAGED,
            encryption_key=self.encryption_key,
            point_in_time_recovery_specification=dynamodb.PointInTimeRecoverySpecification(
                point_in_time_recovery_enabled=True),
            time_to_live_attribute="expiration",
        )
        acknowledge_compliance(self.state_table, "DynamoDBInBackupPlan", TABLE_BACKUP + (
            " The table holds counters and cached answers that expire by themselves."))
        self.semantic_cache: SemanticCacheIndex | None = (
            SemanticCacheIndex(self, "SemanticCache", dimensions=semantic_cache.dimensions,
                               encryption_key=self.encryption_key) if semantic_cache.enabled else None)
        self.profiles: dict[str, dict[str, TenantInferenceProfile]] = {
            tenant.name: {model.identifier: TenantInferenceProfile(self, f"Profile-{tenant.name}-{index}",
                                                                    tenant=tenant.name, model=model)
                          for index, model in enumerate(tenant.models())}
            for tenant in self.tenants
        }
        self.api, self.stage, self.access_log_group = self._build_api(log_retention, user_pool, web_acl_arn)
        self.api_keys: dict[str, apigateway.IApiKey] = {}
        self.usage_plans: dict[str, apigateway.UsagePlan] = {}
        for tenant in self.tenants:
            self._add_usage_plan(tenant)
        self.function = self._build_function(prompt_catalog, semantic_cache, cache_ttl, idempotency_ttl,
                                             max_input_chars, network, max_concurrent_requests)
        self._route()
        acknowledge(self.function, "GenAILens-GENOPS01-BP02",
                    "A gateway's callers are applications, not end users: the application that shows an answer "
                    "collects its users' feedback (genai_blueprints.platform.FeedbackCapture)")
        self.budgets: dict[str, CostBudget] = {
            tenant.name: CostBudget(
                self, f"Budget-{tenant.name}", tags=CostAllocationTags(application=f"model-gateway-{tenant.name}"),
                monthly_limit_usd=tenant.monthly_cost_limit_usd, topic=cost_notification_topic,
                emails=tenant.cost_notification_emails, filter_tag=(TENANT_TAG, tenant.name))
            for tenant in self.tenants if tenant.monthly_cost_limit_usd is not None
        }
        self._add_alarms(budget_alarm_percent, throttle_alarm_threshold)

    # ------------------------------------------------------------------------------------ public API

    @property
    def url(self) -> str:
        """The stage's base URL (https://<api>.execute-api.<region>.amazonaws.com/v1/)."""
        return self.api.url

    def converse_url(self, tenant: str) -> str:
        return f"{self.api.url}tenants/{self._tenant(tenant).name}/converse"

    def grant_invoke(self, grantee: iam.IGrantable, tenant: str) -> iam.Grant:
        """execute-api:Invoke on POST /tenants/<tenant>/converse only: with IAM authorisation, a caller
        granted one tenant cannot call as another. The caller also needs the tenant's API key."""
        self._tenant(tenant)
        grant = iam.Grant.add_to_principal(
            grantee=grantee, actions=["execute-api:Invoke"],
            resource_arns=[self.api.arn_for_execute_api("POST", f"/tenants/{tenant}/converse", STAGE_NAME)])
        return grant

    def metric(self, metric_name: str, options: MetricOptions | None = None, *, tenant: str | None = None,
               model: str | None = None) -> cloudwatch.Metric:
        """A metric the gateway emits (namespace GenAIBlueprints). Per tenant and model: Requests,
        InputTokens, OutputTokens, ExactCacheHits, SemanticCacheHits, CacheMisses, SavedTokens,
        GuardrailInterventions, CacheErrors, ModelLatency. Per tenant: Rejected, ModelThrottles, ModelErrors,
        BudgetExhausted, SettlementErrors, DailyBudgetUsedPercent, MonthlyBudgetUsedPercent. Default: Sum over
        5 minutes."""
        return self._gateway_metric(metric_name, options, tenant=tenant, model=model, method="metric")

    def metric_tenant_throttles(self, tenant: str, options: MetricOptions | None = None) -> cloudwatch.Metric:
        """Calls of `tenant` that Bedrock throttled (answered 429). Default: Sum over 5 minutes."""
        return self._gateway_metric("ModelThrottles", options, tenant=tenant, method="metric_tenant_throttles")

    def metric_tenant_budget_used(self, tenant: str, period: str = "Daily",
                                  options: MetricOptions | None = None) -> cloudwatch.Metric:
        """The share of `tenant`'s "Daily" or "Monthly" token budget spent (percent). Default: Maximum over
        5 minutes."""
        if period not in ("Daily", "Monthly"):
            raise ValueError(f"period is {period!r}; it must be 'Daily' or 'Monthly'")
        return self._gateway_metric(f"{period}BudgetUsedPercent", options, tenant=tenant, statistic="Maximum",
                                    method="metric_tenant_budget_used")

    def _gateway_metric(self, metric_name: str, options: MetricOptions | None, *, tenant: str | None = None,
                        model: str | None = None, statistic: str = "Sum", method: str) -> cloudwatch.Metric:
        dimensions = {"service": self.service_name}
        if tenant is not None:
            dimensions["tenant"] = self._tenant(tenant).name
        if model is not None:
            dimensions["model"] = model
        return blueprint_metric(METRICS_NAMESPACE, metric_name, dimensions, options, statistic=statistic,
                                owner=f"ModelGateway '{self.node.path}'.{method}")

    def dashboard_widgets(self) -> list[cloudwatch.IWidget]:
        """The Observability protocol: requests, tokens and cache per tenant and model, budgets, throttles."""

        def graph(title: str, left: list[cloudwatch.IMetric]) -> cloudwatch.GraphWidget:
            return cloudwatch.GraphWidget(title=title, left=left, width=8, height=6)

        per_model = [(tenant.name, model) for tenant in self.tenants for model in tenant.allowed_models]
        return [
            graph("Requests per tenant and model", [self.metric("Requests", tenant=t, model=m) for t, m in per_model]),
            graph("Tokens per tenant and model", [self.metric(name, tenant=t, model=m) for t, m in per_model
                                                  for name in ("InputTokens", "OutputTokens")]),
            graph("Cache hits and saved tokens", [self.metric(name, tenant=t, model=m) for t, m in per_model
                                                  for name in ("ExactCacheHits", "SemanticCacheHits", "SavedTokens")]),
            graph("Token budget used (%)", [self.metric_tenant_budget_used(tenant.name, period)
                                            for tenant in self.tenants for period in ("Daily", "Monthly")]),
            graph("Throttles, errors and refusals", [self.metric(name, tenant=tenant.name) for tenant in self.tenants
                                                     for name in ("ModelThrottles", "ModelErrors", "Rejected")]),
            graph("API", [self.api.metric_count(), self.api.metric_client_error(), self.api.metric_server_error(),
                          self.api.metric_latency()]),
        ]

    # ---------------------------------------------------------------------------------- construction

    def _tenant(self, name: str) -> TenantConfig:
        for tenant in self.tenants:
            if tenant.name == name:
                return tenant
        raise KeyError(f"no tenant {name!r} on the gateway; it has {', '.join(t.name for t in self.tenants)}")

    def _build_api(self, log_retention: logs.RetentionDays, user_pool: cognito.IUserPool | None,
                   web_acl_arn: str | None):
        allow_logs_to_use_key(self, self.encryption_key)
        access_logs = logs.LogGroup(self, "AccessLogs", retention=log_retention, encryption_key=self.encryption_key)
        api = apigateway.RestApi(
            self, "Api",
            # Unique per instance: a second gateway in the account gets its own name in the console.
            rest_api_name=f"ModelGateway-{cdk.Names.unique_id(self)[-40:]}",
            description="Model gateway: governed access to foundation models per tenant",
            endpoint_types=[apigateway.EndpointType.REGIONAL],
            cloud_watch_role=True,
            deploy_options=apigateway.StageOptions(
                stage_name=STAGE_NAME,
                access_log_destination=apigateway.LogGroupLogDestination(access_logs),
                access_log_format=apigateway.AccessLogFormat.json_with_standard_fields(
                    caller=False, http_method=True, ip=True, protocol=True, request_time=True, resource_path=True,
                    response_length=True, status=True, user=True),
                tracing_enabled=True,
                metrics_enabled=True,
                # Execution logs at ERROR, never with data: request and response bodies hold prompts and answers.
                logging_level=apigateway.MethodLoggingLevel.ERROR,
                data_trace_enabled=False,
                # The stage's ceiling: all tenants at their usage plans' limits at once.
                throttling_rate_limit=sum(tenant.rate_limit for tenant in self.tenants),
                throttling_burst_limit=sum(tenant.burst_limit for tenant in self.tenants),
            ),
        )
        self._acknowledge_api(api, web_acl_arn)
        if web_acl_arn is not None:
            wafv2.CfnWebACLAssociation(self, "WebAclAssociation", resource_arn=api.deployment_stage.stage_arn,
                                       web_acl_arn=web_acl_arn)
        self._authorizer = (apigateway.CognitoUserPoolsAuthorizer(self, "Authorizer", cognito_user_pools=[user_pool])
                            if user_pool is not None and self.authorization is GatewayAuthorization.COGNITO else None)
        return api, api.deployment_stage, access_logs

    def _acknowledge_api(self, api: apigateway.RestApi, web_acl_arn: str | None) -> None:
        acknowledge(api, "AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/"
                    "AmazonAPIGatewayPushToCloudWatchLogs]",
                    "The account-level role API Gateway writes execution logs with (AWS::ApiGateway::Account): "
                    "API Gateway documents this AWS-managed policy for it (set-up-logging), and it grants only "
                    "log-group and log-stream writes.")
        stage = api.deployment_stage
        if self.authorization is not GatewayAuthorization.COGNITO:
            acknowledge(api, "AwsSolutions-COG4",
                        f"Callers authenticate with {self.authorization.value} "
                        + ("(SigV4-signed requests, allowed per tenant path by grant_invoke)"
                           if self.authorization is GatewayAuthorization.IAM else
                           "(the tenant's key, bound to its tenant by the gateway function)")
                        + "; a Cognito user pool is the GatewayAuthorization.COGNITO option.")
        for rule in ("APIGWCacheEnabledAndEncrypted",):
            acknowledge_compliance(stage, rule, (
                "API Gateway's stage cache is keyed by path and parameters, not by the signed caller, and "
                "caches no POST: the gateway caches answers itself, per tenant, encrypted with its key."))
        acknowledge_compliance(stage, "APIGWSSLEnabled", (
            "A client certificate authenticates API Gateway to an HTTP backend; this API's only integration is "
            "a Lambda proxy integration, invoked through Lambda's API with IAM."))
        if web_acl_arn is None:
            why = ("No web ACL was given (web_acl_arn): every request must be SigV4-signed or carry a tenant's "
                   "API key, and each tenant's usage plan throttles it; associate the organisation's regional "
                   "web ACL with web_acl_arn.")
            acknowledge(stage, "AwsSolutions-APIG3", why)
            acknowledge_compliance(stage, "APIGWAssociatedWithWAF", why)

    def _add_usage_plan(self, tenant: TenantConfig) -> None:
        # Not api.add_api_key: that ties the key to the stage, and the function (which the stage's methods
        # need) names the key in its environment: a dependency cycle.
        key = apigateway.ApiKey(self, f"ApiKey-{tenant.name}", description=f"Model gateway tenant {tenant.name}")
        plan = self.api.add_usage_plan(
            f"UsagePlan-{tenant.name}",
            description=f"Model gateway tenant {tenant.name}",
            throttle=apigateway.ThrottleSettings(rate_limit=tenant.rate_limit, burst_limit=tenant.burst_limit),
            quota=(apigateway.QuotaSettings(limit=tenant.monthly_request_quota, period=apigateway.Period.MONTH)
                   if tenant.monthly_request_quota is not None else None),
        )
        plan.add_api_stage(stage=self.stage)
        plan.add_api_key(key)
        self.api_keys[tenant.name] = key
        self.usage_plans[tenant.name] = plan

    def _tenants_json(self) -> str:
        stack = cdk.Stack.of(self)
        tenants = {
            tenant.name: {
                "models": {model: profile.profile_arn for model, profile in self.profiles[tenant.name].items()},
                "dailyTokens": tenant.daily_token_budget,
                "monthlyTokens": tenant.monthly_token_budget,
                "maxOutputTokens": tenant.max_output_tokens,
                "cache": tenant.cache_allowed,
                "guardrail": ({"id": tenant.guardrail.guardrail_id, "version": tenant.guardrail.guardrail_version}
                              if tenant.guardrail is not None else None),
                "apiKeyId": self.api_keys[tenant.name].key_id,
            }
            for tenant in self.tenants
        }
        width = len(json.dumps(tenants, default=lambda value: "x" * _TOKEN_WIDTH)) + sum(
            _TOKEN_WIDTH for tenant in self.tenants for _ in tenant.allowed_models) + _TOKEN_WIDTH * 2 * len(self.tenants)
        if width > MAX_TENANTS_JSON:
            validator = PropsValidator(f"ModelGateway '{self.node.path}'")
            validator.add(f"tenants take about {width} characters of the function's environment; Lambda allows 4 KB in "
                          f"all and the gateway at most {MAX_TENANTS_JSON}: split the tenants over two gateways or "
                          "allow fewer models per tenant")
            validator.raise_if_invalid()
        return stack.to_json_string(tenants)

    def _build_function(self, prompt_catalog, semantic_cache: SemanticCacheOptions, cache_ttl: cdk.Duration,
                        idempotency_ttl: cdk.Duration, max_input_chars: int, network,
                        max_concurrent_requests: int) -> lambda_.Function:
        stack = cdk.Stack.of(self)
        environment = {
            "TENANTS": self._tenants_json(),
            "STATE_TABLE_NAME": self.state_table.table_name,
            "CACHE_TTL_SECONDS": str(int(cache_ttl.to_seconds())),
            "IDEMPOTENCY_TTL_SECONDS": str(int(idempotency_ttl.to_seconds())),
            "MAX_INPUT_CHARS": str(max_input_chars),
        }
        if prompt_catalog is not None:
            environment["PROMPTS"] = stack.to_json_string(
                {name: entry.version_arn for name, entry in prompt_catalog.entries.items()})
        if self.semantic_cache is not None:
            environment.update({
                "VECTOR_INDEX_ARN": self.semantic_cache.index_arn,
                "EMBEDDING_MODEL_ID": semantic_cache.embedding_model,
                "EMBEDDING_DIMENSIONS": str(semantic_cache.dimensions),
                "SEMANTIC_THRESHOLD": repr(float(semantic_cache.distance_threshold)),
            })
        handler = PythonHandlerFunction(
            self, "Handler",
            source="model_gateway",
            handler="model_gateway.handler",
            service_name=self.service_name,
            description="Model gateway: tenants, budgets, cache and Converse",
            invocation=Invocation.REQUEST,
            encryption_key=self.encryption_key,
            network=network,
            reserved_concurrency=max_concurrent_requests,
            memory_size=512,
            # API Gateway's integration timeout is 29 seconds by default; the function stops just after.
            timeout=cdk.Duration.seconds(30),
            environment=environment,
        )
        function = handler.function
        self._handler = handler
        # The budget reservation is a TransactWriteItems of Update items, which IAM authorises as
        # dynamodb:UpdateItem (DynamoDB DG, "Using IAM with DynamoDB transactions"; only a ConditionCheck
        # item would need dynamodb:ConditionCheckItem, and the handler sends none).
        self.state_table.grant(function, "dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem",
                               "dynamodb:DeleteItem")
        # The table's key: DynamoDB encrypts and decrypts items with data keys for the caller.
        self.encryption_key.grant(function, "kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey")
        invoke_arns: list[str] = []
        for tenant in self.tenants:
            for profile in self.profiles[tenant.name].values():
                invoke_arns += [profile.profile_arn, *profile.model.invoke_resource_arns(self)]
            if tenant.guardrail is not None:
                tenant.guardrail.grant_apply(function)
        if self.semantic_cache is not None:
            invoke_arns.append(f"arn:{stack.partition}:bedrock:{stack.region}::foundation-model/"
                               f"{semantic_cache.embedding_model}")
            self.semantic_cache.grant_cache(function)
        # Converse is authorised as bedrock:InvokeModel (Bedrock user guide, conversation-inference-call).
        function.add_to_role_policy(iam.PolicyStatement(actions=["bedrock:InvokeModel"],
                                                        resources=sorted(set(invoke_arns), key=str)))
        if prompt_catalog is not None:
            prompt_catalog.grant_use(function)
        self._acknowledge_models(handler)
        return function

    def _acknowledge_models(self, handler: PythonHandlerFunction) -> None:
        """A system cross-Region profile routes to its model in any Region of its geography, so the
        foundation-model ARN has a Region wildcard (Bedrock user guide, inference-profiles-prereq)."""
        seen = set()
        for tenant in self.tenants:
            for model in tenant.models():
                if model.is_profile:
                    profile_model = model.identifier.split(".", 1)[1]
                    if profile_model not in seen:
                        seen.add(profile_model)
                        acknowledge(handler.role,
                                    "AwsSolutions-IAM5[Resource::" + nag_text(
                                        self, f"arn:{cdk.Stack.of(self).partition}:bedrock:*::foundation-model/"
                                        f"{profile_model}") + "]",
                                    f"{model.identifier} is a cross-Region inference profile: Bedrock routes each call "
                                    f"to {profile_model} in any Region of its geography, and the role must be allowed "
                                    "to invoke the model there.")

    def _route(self) -> None:
        integration = apigateway.LambdaIntegration(self.function)
        converse = self.api.root.add_resource("tenants").add_resource("{tenant}").add_resource("converse")
        validator = self.api.add_request_validator("Validator", validate_request_body=True,
                                                   validate_request_parameters=True)
        body = self.api.add_model("ConverseRequest", content_type="application/json", schema=apigateway.JsonSchema(
            schema=apigateway.JsonSchemaVersion.DRAFT4, type=apigateway.JsonSchemaType.OBJECT,
            title="ConverseRequest"))
        if self.authorization is GatewayAuthorization.IAM:
            auth = {"authorization_type": apigateway.AuthorizationType.IAM}
        elif self.authorization is GatewayAuthorization.COGNITO:
            auth = {"authorization_type": apigateway.AuthorizationType.COGNITO, "authorizer": self._authorizer}
        else:
            auth = {"authorization_type": apigateway.AuthorizationType.NONE}
        converse.add_method("POST", integration, api_key_required=True, request_validator=validator,
                            request_models={"application/json": body},
                            request_parameters={"method.request.path.tenant": True}, **auth)

    def _add_alarms(self, budget_percent: float, throttle_threshold: int) -> None:
        for tenant in self.tenants:
            name = tenant.name
            self._watch(
                alarm_at_least(self, f"Throttles-{name}", metric=self.metric_tenant_throttles(name, _SUM),
                               threshold=throttle_threshold,
                               description=f"Bedrock throttled tenant {name}'s calls {throttle_threshold}+ times in 5 "
                               "minutes: raise its model quota or lower the tenant's rate limit."),
                alarm_at_least(self, f"Errors-{name}", metric=self.metric("ModelErrors", _SUM, tenant=name),
                               threshold=1, description=f"Calls of tenant {name} failed in Bedrock (5xx answers)."),
                *[alarm_at_least(self, f"{period}Budget-{name}", metric=self.metric_tenant_budget_used(name, period),
                                 threshold=budget_percent,
                                 description=f"Tenant {name} has spent {budget_percent:g}% of its {period.lower()} "
                                 "token budget; further calls get 429 when it is spent.")
                  for period in ("Daily", "Monthly")],
            )
        self._watch(
            alarm_at_least(self, "FunctionErrors", metric=self.function.metric_errors(period=cdk.Duration.minutes(5)),
                           threshold=1, description="The model gateway function failed (the API answered 502)."),
            alarm_at_least(self, "ServerErrors", metric=self.api.metric_server_error(period=cdk.Duration.minutes(5),
                                                                                    statistic="Sum"),
                           threshold=5, description="The model gateway API answered 5xx five or more times in 5 minutes."),
        )
