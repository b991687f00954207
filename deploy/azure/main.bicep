// Agent API monitoring on an existing Application Insights resource: the workbook (workbook.json)
// and two log alerts (alerts/*.kql). Deploy into the resource group of the App Insights resource:
//
//   az deployment group create -g <group> -f deploy/azure/main.bicep \
//     -p appInsightsName=<name> actionGroupId=<action group resource id>
//
// Every query reads only telemetry the service emits; WorkbookQueriesTest checks the names.

@description('Name of the Application Insights resource the service sends telemetry to')
param appInsightsName string

@description('Resource id of the action group alerts notify (empty: alerts fire without notifications)')
param actionGroupId string = ''

param location string = resourceGroup().location

@description('Readiness 503s per instance in 5 minutes before alerting (a shutdown drain costs 1-2)')
param readinessFailureThreshold int = 10

@description('Percentage of 5xx answers in 5 minutes before alerting')
param errorRatePercentThreshold int = 5

resource appInsights 'Microsoft.Insights/components@2020-02-02' existing = {
  name: appInsightsName
}

resource workbook 'Microsoft.Insights/workbooks@2023-06-01' = {
  name: guid(resourceGroup().id, appInsights.id, 'agent-api-workbook')
  location: location
  kind: 'shared'
  properties: {
    displayName: 'Agent API'
    category: 'workbook'
    sourceId: appInsights.id
    serializedData: loadTextContent('workbook.json')
  }
}

var actions = empty(actionGroupId) ? {} : {
  actionGroups: [
    actionGroupId
  ]
}

resource readinessAlert 'Microsoft.Insights/scheduledQueryRules@2023-12-01' = {
  name: 'agent-api-readiness-failures'
  location: location
  kind: 'LogAlert'
  properties: {
    displayName: 'Agent API: instances not ready'
    description: 'Readiness probes answered 503 beyond a shutdown drain: the database is unreachable from these instances.'
    severity: 1
    enabled: true
    scopes: [
      appInsights.id
    ]
    evaluationFrequency: 'PT5M'
    windowSize: 'PT5M'
    criteria: {
      allOf: [
        {
          query: loadTextContent('alerts/readiness-failures.kql')
          timeAggregation: 'Total'
          metricMeasureColumn: 'failures'
          operator: 'GreaterThan'
          threshold: readinessFailureThreshold
          dimensions: [
            {
              name: 'cloud_RoleInstance'
              operator: 'Include'
              values: [
                '*'
              ]
            }
          ]
          failingPeriods: {
            numberOfEvaluationPeriods: 1
            minFailingPeriodsToAlert: 1
          }
        }
      ]
    }
    autoMitigate: true
    actions: actions
  }
}

resource errorRateAlert 'Microsoft.Insights/scheduledQueryRules@2023-12-01' = {
  name: 'agent-api-error-rate'
  location: location
  kind: 'LogAlert'
  properties: {
    displayName: 'Agent API: 5xx error rate'
    description: 'More than the threshold percentage of requests (probes left out) answered with a 5xx.'
    severity: 2
    enabled: true
    scopes: [
      appInsights.id
    ]
    evaluationFrequency: 'PT5M'
    windowSize: 'PT5M'
    criteria: {
      allOf: [
        {
          query: loadTextContent('alerts/error-rate.kql')
          timeAggregation: 'Maximum'
          metricMeasureColumn: 'error_rate_percent'
          operator: 'GreaterThan'
          threshold: errorRatePercentThreshold
          failingPeriods: {
            numberOfEvaluationPeriods: 1
            minFailingPeriodsToAlert: 1
          }
        }
      ]
    }
    autoMitigate: true
    actions: actions
  }
}

output workbookId string = workbook.id
